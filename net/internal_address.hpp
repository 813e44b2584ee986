#pragma once
// Addresses a tenant's request must not reach unless the operator named
// them: loopback (the node itself and whatever listens beside it),
// link-local (cloud metadata services live at 169.254.169.254), the
// unspecified address (which connects to the local host) and known metadata
// endpoints, in IPv4, IPv6 and IPv4-mapped IPv6 spelling. Private ranges
// (10/8, 192.168/16, ...) are left to the allow-list: services there are
// what an http activity is for.
#include <string_view>

namespace backbeat::net {

// `ip` is a numeric address as curl reports it ("127.0.0.1", "::1"); a text
// that is no address counts as internal, so a surprise fails closed.
bool is_internal_address(std::string_view ip);

}  // namespace backbeat::net
