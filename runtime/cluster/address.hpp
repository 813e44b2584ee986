#pragma once
// "host:port", as seeds and heartbeats name a member's node agent. One
// parser for both: an address a peer sends is as untrusted as a config.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace backbeat::cluster {

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

// nullopt unless a non-empty host, ':' and a port in 1..65535 (digits only).
std::optional<HostPort> parse_host_port(std::string_view address);

}  // namespace backbeat::cluster
