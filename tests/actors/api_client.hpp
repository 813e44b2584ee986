#pragma once
// Requests straight into an actors::api::Api, as the HTTP server or a
// member's agent hands them over, answered synchronously for a test.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/api/api.hpp"

namespace backbeat::test {

struct Reply {
  int status = 0;
  nlohmann::json body;
  net::HttpResponse raw;
  std::thread::id answered_on;  // the thread that called the responder
  std::string header(std::string_view name) const {
    for (const auto& [k, v] : raw.headers)
      if (k == name) return v;
    return {};
  }
};

// As `user` (token "t"). Headers in `extra` replace those of the same name;
// one named X-Backbeat-* makes it a request from another member.
inline Reply ask_api(const actors::api::Api& api, const User& user, std::string method,
                     std::string target, const nlohmann::json& body = nullptr,
                     std::vector<std::pair<std::string, std::string>> extra = {}) {
  net::HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.headers = {{"Client-Id", user.id.str()}, {"Authorization", "Token token=\"t\""}};
  if (!body.is_null()) {
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = body.dump();
  }
  // Internal headers only pass the entry a member's agent uses.
  const bool from_member = std::any_of(extra.begin(), extra.end(), [](const auto& h) {
    return h.first.rfind("X-Backbeat-", 0) == 0;
  });
  for (auto& h : extra) {
    std::erase_if(r.headers, [&](const auto& had) { return had.first == h.first; });
    r.headers.push_back(std::move(h));
  }
  auto answered = std::make_shared<std::promise<Reply>>();
  auto future = answered->get_future();
  auto done = [answered](net::HttpResponse resp) {
    Reply out;
    out.answered_on = std::this_thread::get_id();
    out.raw = std::move(resp);
    answered->set_value(std::move(out));
  };
  if (from_member) api.handle_from_member(std::move(r), std::move(done));
  else api.handle(std::move(r), std::move(done));
  BOOST_TEST_REQUIRE((future.wait_for(std::chrono::seconds(20)) == std::future_status::ready));
  Reply out = future.get();
  out.status = out.raw.status;
  out.body = nlohmann::json::parse(out.raw.body, nullptr, false);
  return out;
}

}  // namespace backbeat::test
