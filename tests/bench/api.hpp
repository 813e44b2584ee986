#pragma once
// The Backbeat API as the fake client calls it: one pooled keep-alive curl
// client (net::HttpClient), with the user's identity headers added to
// every call. Calls made during the load are asynchronous; the few made to
// set up a run block. A cluster has several members: setup goes to the
// first, the load to the first `gateways` of them.
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "net/http_client.hpp"
#include "engine/result.hpp"

namespace backbeat::bench {

struct User {
  std::string id;
  std::string token;
};

class Api {
 public:
  // `member_urls` starts with the member setup calls go to; `gateways`
  // (at least 1) of them take the load.
  Api(std::vector<std::string> member_urls, size_t gateways, long connections,
      std::chrono::milliseconds timeout);
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  size_t gateways() const { return gateways_; }

  // Identity for every later send()/call(); set before the load starts.
  void act_as(const User& user);

  // Never blocks; `done` runs on the HTTP client's thread and must be quick.
  // `gateway` (below gateways()) picks the member that takes the call.
  void send(size_t gateway, const char* method, std::string path, std::string body,
            std::function<void(net::HttpResult)> done);

  // Blocks until answered: setup and scraping only, never from `done`. It
  // has its own connection, so a scrape does not queue behind the load.
  net::HttpResult call(const char* method, std::string path, std::string body = "",
                       std::vector<std::string> headers = {}, size_t member = 0);

  // POST /users with the admin token; endpoints are `<callback_base>/decision`,
  // `/activity` and `/notification`.
  Result<User> create_user(const std::string& admin_token, const std::string& name,
                           const std::string& callback_base);

  // Polls an authenticated read through every member until each accepts the
  // user: users reach the other members of a cluster asynchronously.
  Status wait_user_everywhere(std::chrono::milliseconds timeout);

  // GET /metrics as name -> value, summed over the members; labelled series
  // keep their labels in the name. Empty when a member does not answer.
  std::map<std::string, double> metrics();

  // Fails whatever is still in flight; afterwards every send fails at once.
  void stop() {
    http_.stop();
    side_.stop();
  }

 private:
  net::HttpCall make_call(size_t member, const char* method, std::string path, std::string body,
                          std::vector<std::string> headers) const;

  std::vector<std::string> members_;  // base URLs
  size_t gateways_;
  std::chrono::milliseconds timeout_;
  std::vector<std::string> identity_;
  net::HttpClient http_;  // the load
  net::HttpClient side_;  // setup and scrapes
};

// Failed calls are counted by a short stable key ("signal: 409",
// "PUT completed: transport") and shown with one sample detail (the error
// body, or curl's message), cut to a line.
std::string failure_key(const char* what, const net::HttpResult& r);
std::string failure_detail(const net::HttpResult& r);

}  // namespace backbeat::bench
