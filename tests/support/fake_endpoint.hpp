#pragma once
// A client's callback endpoint, played by a real HTTP server on 127.0.0.1.
// It records what the service sends it and answers as the test says.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "net/http_message.hpp"
#include "net/http_server.hpp"

namespace backbeat::test {

class FakeEndpoint {
 public:
  using Handler = std::function<net::HttpResponse(const net::HttpRequest&)>;
  using Hook = std::function<void(const net::HttpRequest&)>;
  using Predicate = std::function<bool(const net::HttpRequest&)>;

  FakeEndpoint();  // listens at once; throws std::runtime_error if it cannot
  // Joins the threads answering requests: a hook still blocked here hangs
  // the test, so release it first.
  ~FakeEndpoint();
  FakeEndpoint(const FakeEndpoint&) = delete;
  FakeEndpoint& operator=(const FakeEndpoint&) = delete;

  uint16_t port() const { return port_; }
  std::string url(std::string_view path) const;  // "http://127.0.0.1:PORT/path"

  // Default: 200 with body "{}".
  void set_handler(Handler handler);
  // Runs before the handler, on that request's own thread, so it may block
  // or call back into the service (real clients do both) without holding up
  // any other request.
  void set_before_response(Hook hook);

  // Removes and returns the first recorded request matching `pred`, waiting
  // for one to arrive; requests that do not match stay for later calls.
  std::optional<net::HttpRequest> wait_for(Predicate pred,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Everything received so far, in order, whether or not wait_for took it.
  std::vector<net::HttpRequest> received() const;

  // While on, every request waits (before the hook) until it is turned off or
  // the endpoint is destroyed: an endpoint that accepts and never answers.
  void hang(bool on);
  // Requests being answered right now, and the most there ever were at once.
  // Backbeat sends one request per connection at a time, so these are also
  // the connections it holds open to this endpoint.
  size_t in_progress() const;
  size_t max_in_progress() const;

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> finished;
  };

  void on_request(net::HttpRequest&& request, net::Responder respond);
  void reap_finished_workers();  // called with mu_ held

  mutable std::mutex mu_;
  std::condition_variable arrived_;
  std::deque<net::HttpRequest> unclaimed_;
  std::vector<net::HttpRequest> history_;
  Handler handler_;
  Hook hook_;
  std::vector<Worker> workers_;
  std::condition_variable unhung_;
  bool hanging_ = false;
  size_t in_progress_ = 0;
  size_t max_in_progress_ = 0;
  uint16_t port_ = 0;
  net::HttpServer server_;  // last: it calls into everything above
};

// A loopback port nothing listens on (bound, then closed): connections to it
// are refused.
uint16_t closed_port();

}  // namespace backbeat::test
