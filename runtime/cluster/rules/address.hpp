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

// Whether a member at `self` dials the one at `peer` now. Two members that
// dial each other at once can both lose the link: CAF 0.17's BASP closes
// "the redundant" connection on each side, a different one each, and a TLS
// handshake makes the overlap likely. So of two members that know each
// other, the one with the lower address dials and the other waits for it.
// A peer that may not know `self` (an address given by --join) is dialed by
// the higher one too, once `self` has been without any link for a while
// (`alone_long`): until then the peer may be about to dial.
bool should_dial(std::string_view self, std::string_view peer, bool may_not_know_us,
                 bool alone_long);

}  // namespace backbeat::cluster
