#include "tests/crash/server_under_test.hpp"

#include <fstream>
#include <regex>
#include <thread>

namespace backbeat::crash {
namespace {

std::string tail(const std::string& text, size_t bytes) {
  return text.size() <= bytes ? text : "..." + text.substr(text.size() - bytes);
}

}  // namespace

ServerUnderTest::ServerUnderTest(std::string config) : dir_("backbeat-crash") {
  if (config.empty()) return;
  config_path_ = (dir_.path() / "backbeat.conf").string();
  std::ofstream(config_path_) << config;
}

ServerUnderTest::~ServerUnderTest() = default;  // ~ServerProcess kills what is left

bool ServerUnderTest::start() {
  if (proc_) earlier_logs_.push_back(proc_->log());
  test::ServerProcessOptions o;
  o.args = {"serve", "--http-port", "0", "--data-dir", (dir_.path() / "data").string()};
  if (!config_path_.empty()) o.args.insert(o.args.end(), {"--config", config_path_});
  o.env = {{"BACKBEAT_ADMIN_TOKEN", kAdminToken}};
  o.log_dir = dir_.path();
  o.name = "backbeat-" + std::to_string(++starts_);
  proc_ = std::make_unique<test::ServerProcess>(o);
  if (!proc_->start()) return false;
  std::lock_guard lock(mu_);
  now_ = Incarnation{proc_->port(), starts_};
  changed_.notify_all();
  return true;
}

void ServerUnderTest::set_down() {
  std::lock_guard lock(mu_);
  now_.port = 0;
  changed_.notify_all();
}

void ServerUnderTest::kill() {
  set_down();
  proc_->kill(SIGKILL);
  proc_->wait();
  proc_->wait_output_closed();
}

void ServerUnderTest::terminate() { proc_->kill(SIGTERM); }

std::optional<int> ServerUnderTest::wait_exit(std::chrono::milliseconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (proc_->running()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      kill();
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  set_down();
  proc_->wait_output_closed();
  return proc_->wait();
}

std::vector<std::string> ServerUnderTest::wait_for_line(const std::string& regex,
                                                        std::chrono::milliseconds timeout) {
  return proc_->wait_for_line(std::regex(regex), timeout);
}

Incarnation ServerUnderTest::current() const {
  std::lock_guard lock(mu_);
  return now_;
}

Incarnation ServerUnderTest::wait_for_other(uint64_t generation,
                                            std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  changed_.wait_for(lock, timeout, [&] { return now_.port != 0 && now_.generation != generation; });
  return now_;
}

std::string ServerUnderTest::log_tail(size_t bytes_per_incarnation) const {
  std::string out;
  size_t n = 0;
  for (const std::string& log : earlier_logs_)
    out += "--- incarnation " + std::to_string(++n) + "\n" + tail(log, bytes_per_incarnation) + "\n";
  if (proc_)
    out += "--- incarnation " + std::to_string(++n) + "\n" + tail(proc_->log(), bytes_per_incarnation);
  return out;
}

}  // namespace backbeat::crash
