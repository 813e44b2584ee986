#include "tests/bench/api.hpp"

#include <algorithm>
#include <cstdlib>
#include <future>
#include <memory>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "net/contract/json_text.hpp"

namespace backbeat::bench {
namespace {

net::HttpClientOptions client_options(long connections) {
  net::HttpClientOptions o;
  o.max_host_connections = connections;
  o.max_total_connections = connections;
  return o;
}

}  // namespace

Api::Api(std::vector<std::string> member_urls, size_t gateways, long connections,
         std::chrono::milliseconds timeout)
    : members_(std::move(member_urls)),
      gateways_(std::max<size_t>(1, std::min(gateways, members_.size()))),
      timeout_(timeout),
      http_(client_options(connections)),
      side_(client_options(1)) {
  for (auto& base : members_)
    while (!base.empty() && base.back() == '/') base.pop_back();
}

void Api::act_as(const User& user) {
  identity_ = {"Client-Id: " + user.id, "Authorization: Token token=\"" + user.token + "\""};
}

net::HttpCall Api::make_call(size_t member, const char* method, std::string path, std::string body,
                             std::vector<std::string> headers) const {
  net::HttpCall c;
  c.method = method;
  c.url = members_.at(member) + path;
  c.body = std::move(body);
  c.headers = std::move(headers);
  c.timeout = timeout_;
  return c;
}

void Api::send(size_t gateway, const char* method, std::string path, std::string body,
               std::function<void(net::HttpResult)> done) {
  http_.send(make_call(gateway % gateways_, method, std::move(path), std::move(body), identity_),
             std::move(done));
}

net::HttpResult Api::call(const char* method, std::string path, std::string body,
                          std::vector<std::string> headers, size_t member) {
  auto answer = std::make_shared<std::promise<net::HttpResult>>();
  auto future = answer->get_future();
  side_.send(make_call(member, method, std::move(path), std::move(body), std::move(headers)),
             [answer](net::HttpResult r) { answer->set_value(std::move(r)); });
  return future.get();  // `done` runs exactly once, even after stop()
}

Result<User> Api::create_user(const std::string& admin_token, const std::string& name,
                              const std::string& callback_base) {
  const nlohmann::json body = {{"name", name},
                               {"decision_endpoint", callback_base + "/decision"},
                               {"activity_endpoint", callback_base + "/activity"},
                               {"notification_endpoint", callback_base + "/notification"}};
  auto r = call("POST", "/users", contract::dump_json(body),
                {"Authorization: Token token=\"" + admin_token + "\""});
  if (!r.transport_ok || r.status != 201)
    return make_error(Error::Kind::internal,
                      "POST /users: " + failure_key("", r) + " " + failure_detail(r));
  auto json = contract::parse_json_text(r.body, "user");
  if (!json || !json->is_object() || !(*json)["id"].is_string() ||
      !(*json)["authToken"].is_string())
    return make_error(Error::Kind::internal, "POST /users answered " + r.body);
  return User{(*json)["id"].get<std::string>(), (*json)["authToken"].get<std::string>()};
}

Status Api::wait_user_everywhere(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (size_t m = 0; m < members_.size(); ++m) {
    for (;;) {
      auto r = call("GET", "/workflows/names", "", identity_, m);
      if (r.transport_ok && r.status == 200) break;
      if (std::chrono::steady_clock::now() >= deadline)
        return make_error(Error::Kind::internal, "the user is not accepted by " + members_[m] +
                                                     ": " + failure_key("", r) + " " +
                                                     failure_detail(r));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return ok_status();
}

// A half-read scrape would make the window's growth negative, so one
// member that does not answer empties the whole sample.
std::map<std::string, double> Api::metrics() {
  std::map<std::string, double> out;
  for (size_t m = 0; m < members_.size(); ++m) {
    auto r = call("GET", "/metrics", "", {}, m);
    if (!r.transport_ok || r.status != 200) return {};
    std::istringstream in(r.body);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const auto space = line.rfind(' ');
      if (space == std::string::npos) continue;
      out[line.substr(0, space)] += std::strtod(line.c_str() + space + 1, nullptr);
    }
  }
  return out;
}

std::string failure_key(const char* what, const net::HttpResult& r) {
  std::string key = what;
  if (!key.empty()) key += ": ";
  return key + (r.transport_ok ? std::to_string(r.status) : std::string("transport"));
}

std::string failure_detail(const net::HttpResult& r) {
  std::string d = r.transport_ok ? r.body : r.error;
  if (const auto nl = d.find('\n'); nl != std::string::npos) d.resize(nl);
  if (d.size() > 160) d = d.substr(0, 160) + "...";
  return d;
}

}  // namespace backbeat::bench
