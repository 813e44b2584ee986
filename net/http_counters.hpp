#pragma once
// What the HTTP server turned away or cut off, for /metrics. The node hands
// the server counters that live with its other metrics (net/ cannot see
// those); plain atomics, bumped by I/O threads, read by a scrape.
#include <atomic>
#include <cstdint>

namespace backbeat::net {

struct HttpServerCounters {
  std::atomic<uint64_t> refused_capacity{0};        // over max_connections: 503, closed
  std::atomic<uint64_t> refused_per_address{0};     // over max_connections_per_address: 503
  std::atomic<uint64_t> request_timeouts{0};        // header or body not in time: closed
  std::atomic<uint64_t> tls_handshake_failures{0};  // plain HTTP to the HTTPS port among them
};

}  // namespace backbeat::net
