#pragma once
// The client service's endpoints, played by a net::HttpServer on
// 127.0.0.1:0. It turns each callback Backbeat POSTs into a Callback value
// for the driver, and answers the POST either at once (the default: the
// server's callback is not held open while the client works) or when the
// driver lets go of it (--report-inside-callback: real clients, the Ruby one
// included, report back before they answer).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "net/http_server.hpp"
#include "engine/result.hpp"

namespace backbeat::bench {

// Answers one callback POST with 200, exactly once: when answer() is called
// or, failing that, when the last copy of the Callback holding it goes, so
// a dropped callback never leaves the server's POST hanging.
class Answer {
 public:
  explicit Answer(net::Responder respond) : respond_(std::move(respond)) {}
  ~Answer() { answer(); }
  Answer(const Answer&) = delete;
  Answer& operator=(const Answer&) = delete;
  void answer();

 private:
  std::mutex mu_;
  net::Responder respond_;
};

struct Callback {
  enum class Kind { decision, activity, notification };
  Kind kind = Kind::activity;
  std::string node_id;
  std::string workflow_id;
  std::chrono::steady_clock::time_point received_at;
  // Empty when the POST was answered on arrival.
  std::shared_ptr<Answer> answer;
};

class FakeClient {
 public:
  using Sink = std::function<void(Callback)>;

  // `sink` runs on the endpoint's I/O thread: it must hand work off, not block.
  FakeClient(bool answer_first, int io_threads, Sink sink);
  ~FakeClient() { stop(); }
  FakeClient(const FakeClient&) = delete;
  FakeClient& operator=(const FakeClient&) = delete;

  // Listens on 127.0.0.1:0; returns "http://127.0.0.1:PORT".
  Result<std::string> start();
  void stop() { server_.stop(); }

  // Requests that were not a callback the driver could use (wrong path,
  // unparsable body); answered 400 so the server's log shows them.
  uint64_t rejected() const { return rejected_.load(); }

 private:
  void on_request(net::HttpRequest&& request, net::Responder respond);

  bool answer_first_;
  Sink sink_;
  std::atomic<uint64_t> rejected_{0};
  net::HttpServer server_;  // last: its threads call into the members above
};

}  // namespace backbeat::bench
