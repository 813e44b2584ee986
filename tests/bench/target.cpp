#include "tests/bench/target.hpp"

#include <chrono>
#include <random>
#include <thread>

namespace backbeat::bench {
namespace {

Error setup_error(std::string message) {
  return make_error(Error::Kind::internal, "Setup", std::move(message));
}

std::string random_token() {
  std::random_device rd;
  std::uniform_int_distribution<int> hex(0, 15);
  std::string t;
  for (int i = 0; i < 32; ++i) t += "0123456789abcdef"[hex(rd)];
  return t;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " ") + p;
  return out;
}

}  // namespace

Result<std::unique_ptr<Target>> Target::spawn(const std::string& binary,
                                              const std::string& config_file) {
  std::unique_ptr<Target> t(new Target());
  try {
    t->dir_ = std::make_unique<test::TempDir>("backbeat-bench");
  } catch (const std::exception& e) {
    return setup_error(e.what());
  }
  t->admin_token_ = random_token();
  test::ServerProcessOptions o;
  o.binary = binary;
  o.args = {"serve", "--http-port", "0", "--data-dir", (t->dir_->path() / "data").string()};
  if (!config_file.empty()) {
    o.args.push_back("--config");
    o.args.push_back(config_file);
  }
  o.env = {{"BACKBEAT_ADMIN_TOKEN", t->admin_token_}};
  o.log_dir = t->dir_->path();
  o.name = "backbeat-server";
  t->proc_ = std::make_unique<test::ServerProcess>(o);
  if (!t->proc_->start())
    return setup_error("the server did not start:\n" + t->log_tail());
  t->url_ = t->proc_->url("");
  while (!t->url_.empty() && t->url_.back() == '/') t->url_.pop_back();
  t->pid_ = t->proc_->pid();
  t->settings_ = {
      "command: " + binary + " " + join(o.args),
      "data dir: a fresh temp dir (same filesystem as $TMPDIR)",
      config_file.empty() ? "config: built-in defaults (backbeat --help lists them)"
                          : "config: " + config_file,
      "durability: always on (fsync'd group commit; the server has no switch to turn it off)",
  };
  return t;
}

Result<std::unique_ptr<Target>> Target::attach(const std::string& url, const std::string& admin_token,
                                               std::optional<pid_t> pid) {
  std::unique_ptr<Target> t(new Target());
  t->url_ = url;
  while (!t->url_.empty() && t->url_.back() == '/') t->url_.pop_back();
  t->admin_token_ = admin_token;
  t->pid_ = pid;
  t->settings_ = {"attached to " + t->url_ + " (its flags are unknown to the benchmark)",
                  pid ? "pid " + std::to_string(*pid) : "pid unknown: no server CPU or memory figures",
                  "durability: always on (fsync'd group commit; the server has no switch to turn it off)"};
  return t;
}

Target::~Target() {
  if (proc_ && !stopped_) stop();
}

bool Target::alive() {
  if (proc_) return proc_->running();
  return true;  // attached: a dead server shows up as failed calls
}

int Target::stop() {
  if (!proc_) return 0;
  stopped_ = true;
  if (!proc_->running()) return proc_->wait();
  proc_->kill(SIGTERM);
  // A clean stop flushes and exits within a second or two; after that the
  // destructor of ServerProcess kills the group.
  for (int i = 0; i < 100 && proc_->running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (proc_->running()) proc_->kill(SIGKILL);
  return proc_->wait();
}

std::string Target::log_tail(size_t max_bytes) const {
  if (!proc_) return "";
  std::string log = proc_->log();
  if (log.size() > max_bytes) log = "..." + log.substr(log.size() - max_bytes);
  return log;
}

}  // namespace backbeat::bench
