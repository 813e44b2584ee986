#pragma once
// Outgoing callbacks to client endpoints. One thread drives every call, so
// thousands of slow endpoints cost sockets, not threads; curl stays behind a
// pimpl.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace backbeat::net {

struct HttpCall {
  std::string method = "POST";
  std::string url;
  std::string body;
  std::vector<std::string> headers;  // "Name: value"
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{60000};  // the whole call, connect included
  // Checked on the connection actually used (after DNS, on reuse too), so a
  // name that resolves, or is rebound, to an internal address is caught
  // (net/internal_address.hpp).
  bool refuse_internal_peers = false;
};

struct HttpResult {
  bool transport_ok = false;  // false: refused, DNS, timeout, reset, stopped
  long status = 0;
  std::string body;   // cut at 1 MiB; callbacks only need the status
  std::string error;  // what went wrong when !transport_ok
};

struct HttpClientOptions {
  long max_total_connections = 256;
  long max_host_connections = 64;
};

// Keep-alive connections are pooled across calls. Redirects are not followed:
// a callback URL is the client's to get right, and following one could turn
// a callback into a request against anything the server can reach.
// Bodies get "Content-Type: application/json" unless a header says
// otherwise, and never "Expect: 100-continue" (many endpoints never answer it,
// which would cost every large callback a second).
class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();  // stop()
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Thread-safe and never blocks on the network. `done` runs exactly once, on
  // the client's thread, so it must be quick. After stop() it runs at once on
  // the caller's thread with transport_ok=false.
  void send(HttpCall call, std::function<void(HttpResult)> done);

  // Fails every outstanding call with "client stopped" and joins the thread.
  // Idempotent; must not be called from inside `done`.
  void stop();

  // Calls accepted whose `done` has not returned yet.
  size_t in_flight() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace backbeat::net
