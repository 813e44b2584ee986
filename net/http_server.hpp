#pragma once
// The HTTP/1.1 front door. Beast lives behind a pimpl so that the layers
// including this header compile in a fraction of the time.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "net/http_counters.hpp"
#include "net/http_message.hpp"
#include "engine/result.hpp"

namespace backbeat::net {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0 = pick a free port; start() returns the real one
  int io_threads = 1;
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 * 1024;
  // Deadlines, each for the whole of its phase: a client sending a byte at a
  // time does not move them. Past one the connection is closed.
  // A request header (after the TLS handshake, which counts too) must be
  // complete this long after the connection opened or, on a kept-alive
  // connection, after the request's first byte.
  std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
  // The body, from the end of the header; and each response, to be taken.
  std::chrono::milliseconds body_timeout{std::chrono::seconds(30)};
  // A kept-alive connection waiting for its next request.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(75)};
  size_t max_connections = 10000;
  // Open connections from one client address; 0: no limit. Past either
  // limit a new connection is answered 503 with Retry-After and closed.
  size_t max_connections_per_address = 512;
  // PEM files. Both set: the server speaks only HTTPS (TLS 1.2 or later);
  // neither: plain HTTP; one alone is an error at start().
  std::string tls_cert;
  std::string tls_key;
  // Where the server counts what it refuses; null: counters of its own.
  // Must outlive the server.
  HttpServerCounters* counters = nullptr;
  // The body of the answers the server gives by itself (TransportError);
  // null: the message as plain text.
  TransportErrorBody error_body;
};

// Requests on one connection reach the handler strictly one at a time: the
// next is read only once the previous response has been written. The handler
// runs on an I/O thread, so it must hand long work elsewhere and answer
// through the Responder later, from any thread. A Responder dropped without
// being called answers 500, so a lost request cannot hang its client.
class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and spawns the I/O threads. Returns the bound port.
  Result<uint16_t> start();

  // For a graceful stop: new connections are refused from now on, every
  // answer carries "Connection: close", and the call returns once each
  // request already read has been answered on the wire, or after `bound`.
  // Call stop() afterwards.
  void drain(std::chrono::milliseconds bound);

  // Stops accepting, drops every connection and joins the I/O threads.
  // Responders called afterwards do nothing. Idempotent; must not be called
  // from inside the handler (it joins the thread running it).
  void stop();

  const HttpServerCounters& counters() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace backbeat::net
