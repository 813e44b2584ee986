#include "runtime/cluster/rules/address.hpp"

#include <charconv>

namespace backbeat::cluster {

std::optional<HostPort> parse_host_port(std::string_view address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view digits = address.substr(colon + 1);
  uint32_t port = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || port == 0 ||
      port > 65535)
    return std::nullopt;
  return HostPort{std::string(address.substr(0, colon)), uint16_t(port)};
}

bool should_dial(std::string_view self, std::string_view peer, bool may_not_know_us,
                 bool alone_long) {
  if (peer.empty() || peer == self) return false;
  return self < peer || (may_not_know_us && alone_long);
}

}  // namespace backbeat::cluster
