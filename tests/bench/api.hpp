#pragma once
// The Backbeat API as the fake client calls it: one pooled keep-alive curl
// client (net::HttpClient), with the user's identity headers added to
// every call. Calls made during the load are asynchronous; the few made to
// set up a run block.
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "net/http_client.hpp"
#include "runtime/engine/result.hpp"

namespace backbeat::bench {

struct User {
  std::string id;
  std::string token;
};

class Api {
 public:
  Api(std::string base_url, long connections, std::chrono::milliseconds timeout);
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  const std::string& base_url() const { return base_; }

  // Identity for every later send()/call(); set before the load starts.
  void act_as(const User& user);

  // Never blocks; `done` runs on the HTTP client's thread and must be quick.
  void send(const char* method, std::string path, std::string body,
            std::function<void(net::HttpResult)> done);

  // Blocks until answered: setup and scraping only, never from `done`. It
  // has its own connection, so a scrape does not queue behind the load.
  net::HttpResult call(const char* method, std::string path, std::string body = "",
                       std::vector<std::string> headers = {});

  // POST /users with the admin token; endpoints are `<callback_base>/decision`,
  // `/activity` and `/notification`.
  Result<User> create_user(const std::string& admin_token, const std::string& name,
                           const std::string& callback_base);

  // GET /metrics as name -> value; labelled series keep their labels in the
  // name. Empty when the server does not answer.
  std::map<std::string, double> metrics();

  // Fails whatever is still in flight; afterwards every send fails at once.
  void stop() {
    http_.stop();
    side_.stop();
  }

 private:
  net::HttpCall make_call(const char* method, std::string path, std::string body,
                          std::vector<std::string> headers) const;

  std::string base_;
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
