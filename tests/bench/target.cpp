#include "tests/bench/target.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/cluster_certs.hpp"
#include "tests/support/fake_endpoint.hpp"
#include "tests/support/http_test_client.hpp"

namespace backbeat::bench {
namespace {

using namespace std::chrono_literals;

constexpr const char* kDurability =
    "durability: always on (fsync'd group commit; the server has no switch to turn it off)";

Error setup_error(std::string message) {
  return make_error(Error::Kind::internal, std::move(message));
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

std::string member_id(size_t i) { return "n" + std::to_string(i + 1); }

// Every address must be known before the first member starts, so the
// cluster ports are bound to port 0 and closed again; another program may
// take one in between, a race the cluster tests accept too.
std::vector<uint16_t> distinct_free_ports(size_t n) {
  std::vector<uint16_t> ports;
  while (ports.size() < n) {
    const uint16_t p = test::closed_port();
    if (std::find(ports.begin(), ports.end(), p) == ports.end()) ports.push_back(p);
  }
  return ports;
}

// The operator's config (if any) with a [cluster] section after it, which
// wins over one the operator's file may have.
Result<std::string> member_config(const std::string& base_file, size_t i,
                                  const std::vector<uint16_t>& ports, const std::string& links) {
  std::string text;
  if (!base_file.empty()) {
    std::ifstream in(base_file, std::ios::binary);
    if (!in) return setup_error("cannot read " + base_file);
    std::ostringstream content;
    content << in.rdbuf();
    text = content.str() + "\n";
  }
  std::string seeds;
  for (size_t m = 0; m < ports.size(); ++m)
    seeds += (m ? "," : "") + member_id(m) + "@127.0.0.1:" + std::to_string(ports[m]);
  return text + "[cluster]\nmember_id = " + member_id(i) + "\nhost = 127.0.0.1\nport = " +
         std::to_string(ports[i]) + "\nseeds = " + seeds + "\n" + links;
}

// One member's GET /admin/cluster shows all `members` up, with a map.
bool sees_all_up(const nlohmann::json& s, size_t members) {
  if (!s.is_object() || !s.contains("members") || !s["members"].is_array() ||
      s["members"].size() != members || !s.contains("map") || !s["map"].is_array() ||
      s["map"].empty())
    return false;
  for (const auto& m : s["members"])
    if (!m.is_object() || m.value("state", "") != "up") return false;
  return true;
}

}  // namespace

Status Target::start_member(const std::string& binary, std::vector<std::string> args,
                            const std::string& name) {
  test::ServerProcessOptions o;
  o.binary = binary;
  o.args = std::move(args);
  o.env = {{"BACKBEAT_ADMIN_TOKEN", admin_token_}};
  o.log_dir = dir_->path();
  o.name = name;
  procs_.push_back(std::make_unique<test::ServerProcess>(o));
  if (!procs_.back()->start()) return setup_error(name + " did not start:\n" + log_tail());
  std::string url = procs_.back()->url("");
  while (!url.empty() && url.back() == '/') url.pop_back();
  urls_.push_back(std::move(url));
  pids_.push_back(procs_.back()->pid());
  return ok_status();
}

Result<std::unique_ptr<Target>> Target::spawn(const std::string& binary,
                                              const std::string& config_file) {
  std::unique_ptr<Target> t(new Target());
  try {
    t->dir_ = std::make_unique<test::TempDir>("backbeat-bench");
  } catch (const std::exception& e) {
    return setup_error(e.what());
  }
  t->admin_token_ = random_token();
  std::vector<std::string> args = {"serve", "--http-port", "0", "--data-dir",
                                   (t->dir_->path() / "data").string()};
  if (!config_file.empty()) {
    args.push_back("--config");
    args.push_back(config_file);
  }
  t->settings_.push_back("command: " + binary + " " + join(args));
  if (auto s = t->start_member(binary, std::move(args), "backbeat-server"); !s) return s.error();
  t->settings_.push_back("data dir: a fresh temp dir (same filesystem as $TMPDIR)");
  t->settings_.push_back(config_file.empty() ? "config: built-in defaults (backbeat --help lists them)"
                                             : "config: " + config_file);
  t->settings_.push_back(kDurability);
  return t;
}

Result<std::unique_ptr<Target>> Target::spawn_cluster(const std::string& binary,
                                                      const std::string& config_file,
                                                      size_t members, Links links) {
  std::unique_ptr<Target> t(new Target());
  std::vector<uint16_t> ports;
  try {
    t->dir_ = std::make_unique<test::TempDir>("backbeat-bench");
    ports = distinct_free_ports(members);
  } catch (const std::exception& e) {
    return setup_error(e.what());
  }
  t->admin_token_ = random_token();
  const auto certs = t->dir_->path() / "certs";
  if (links == Links::tls) {
    std::vector<std::string> ids;
    for (size_t i = 0; i < members; ++i) ids.push_back(member_id(i));
    if (auto s = test::make_cluster_certs(certs, ids, binary); !s) return s.error();
  }
  for (size_t i = 0; i < members; ++i) {
    auto config = member_config(config_file, i, ports,
                                links == Links::tls ? test::cluster_tls_lines(certs, member_id(i))
                                                    : "allow_plaintext = true\n");
    if (!config) return config.error();
    const auto config_path = t->dir_->path() / (member_id(i) + ".conf");
    std::ofstream out(config_path, std::ios::binary);
    if (!(out << *config).flush()) return setup_error("cannot write " + config_path.string());
    std::vector<std::string> args = {"serve",       "--http-port", "0",
                                     "--data-dir",  (t->dir_->path() / member_id(i)).string(),
                                     "--config",    config_path.string()};
    if (i == 0) t->settings_.push_back("command of n1 (the others alike): " + binary + " " + join(args));
    if (auto s = t->start_member(binary, std::move(args), "backbeat-" + member_id(i)); !s)
      return s.error();
  }
  if (auto s = t->wait_cluster_formed(members); !s) return s.error();
  t->settings_.push_back(
      "cluster: " + std::to_string(members) + " members n1.." + member_id(members - 1) +
      " on loopback, each with its own temp data dir and cluster port, all naming "
      "all as seeds, one admin token; server CPU, RSS and /metrics are summed over the members");
  t->settings_.push_back(links == Links::tls
                             ? "cluster links: mutual TLS, certificates of one CA (backbeat cluster certs)"
                             : "cluster links: plaintext (cluster.allow_plaintext)");
  t->settings_.push_back(config_file.empty() ? "config: built-in defaults plus the [cluster] section"
                                             : "config: " + config_file + " plus the [cluster] section");
  t->settings_.push_back(kDurability);
  return t;
}

// Converged when every member shows all N up and the same map: requests
// through any gateway then find their owner on the first try.
Status Target::wait_cluster_formed(size_t members) {
  const test::Headers admin = {{"Authorization", "Token token=\"" + admin_token_ + "\""}};
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  std::string last;
  for (;;) {
    bool formed = true;
    nlohmann::json first_map;
    for (size_t i = 0; i < procs_.size() && formed; ++i) {
      auto r = test::http_request(procs_[i]->host(), procs_[i]->port(), "GET", "/admin/cluster", "",
                                  admin);
      auto s = nlohmann::json::parse(r.body, nullptr, false);
      formed = r.status == 200 && sees_all_up(s, members) && (i == 0 || s["map"] == first_map);
      if (i == 0 && formed) first_map = s["map"];
      if (!formed) last = member_id(i) + ": " + std::to_string(r.status) + " " + r.body.substr(0, 600);
    }
    if (formed) return ok_status();
    if (!alive()) return setup_error("a member died while the cluster formed:\n" + log_tail());
    if (std::chrono::steady_clock::now() >= deadline)
      return setup_error("the cluster did not form within 30 s; last status " + last + "\n" + log_tail());
    std::this_thread::sleep_for(100ms);
  }
}

Result<std::unique_ptr<Target>> Target::attach(const std::string& url, const std::string& admin_token,
                                               std::optional<pid_t> pid) {
  std::unique_ptr<Target> t(new Target());
  std::string base = url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  t->urls_ = {base};
  t->admin_token_ = admin_token;
  if (pid) t->pids_ = {*pid};
  t->settings_ = {"attached to " + base + " (its flags are unknown to the benchmark)",
                  pid ? "pid " + std::to_string(*pid) : "pid unknown: no server CPU or memory figures",
                  kDurability};
  return t;
}

Target::~Target() {
  if (!stopped_) stop();
}

bool Target::alive() {
  // An attached server has no process here: a dead one shows up as failed calls.
  return std::all_of(procs_.begin(), procs_.end(), [](const auto& p) { return p->running(); });
}

int Target::stop() {
  stopped_ = true;
  for (auto& p : procs_)
    if (p->running()) p->kill(SIGTERM);
  // A clean stop flushes and exits within a second or two; after that the
  // destructor of ServerProcess kills the group.
  const auto any_running = [this] {
    return std::any_of(procs_.begin(), procs_.end(), [](const auto& p) { return p->running(); });
  };
  for (int i = 0; i < 100 && any_running(); ++i) std::this_thread::sleep_for(50ms);
  int first_failure = 0;
  for (auto& p : procs_) {
    if (p->running()) p->kill(SIGKILL);
    const int code = p->wait();
    if (first_failure == 0) first_failure = code;
  }
  return first_failure;
}

std::string Target::log_tail(size_t max_bytes) const {
  std::string out;
  for (size_t i = 0; i < procs_.size(); ++i) {
    std::string log = procs_[i]->log();
    if (log.size() > max_bytes) log = "..." + log.substr(log.size() - max_bytes);
    out += procs_.size() > 1 ? "---- " + member_id(i) + " ----\n" + log : log;
  }
  return out;
}

}  // namespace backbeat::bench
