#pragma once
// The HTTP/1.1 front door. Beast lives behind a pimpl so that the layers
// including this header compile in a fraction of the time.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "net/http_message.hpp"
#include "runtime/engine/result.hpp"

namespace backbeat::net {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0 = pick a free port; start() returns the real one
  int io_threads = 1;
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 * 1024;
  std::chrono::seconds idle_timeout{75};
  size_t max_connections = 10000;
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

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace backbeat::net
