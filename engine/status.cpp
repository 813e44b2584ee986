#include "engine/status.hpp"

#include <array>

namespace backbeat {
namespace {
constexpr std::array<std::string_view, kServerStatusCount> kServerNames = {
    "pending", "ready", "started", "sent_to_client", "processing_children", "complete",
    "paused", "errored", "retrying", "retries_exhausted", "deactivated"};
constexpr std::array<std::string_view, kClientStatusCount> kClientNames = {
    "pending", "ready", "received", "processing", "complete", "errored", "resolved", "shutdown"};
constexpr std::array<std::string_view, 3> kModeNames = {"blocking", "non_blocking",
                                                        "fire_and_forget"};

template <class Enum, size_t N>
std::optional<Enum> find_name(const std::array<std::string_view, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<Enum>(i);
  return std::nullopt;
}
}  // namespace

std::string_view to_string(ServerStatus s) { return kServerNames[size_t(s)]; }
std::string_view to_string(ClientStatus s) { return kClientNames[size_t(s)]; }
std::string_view to_string(Mode m) { return kModeNames[size_t(m)]; }
std::optional<ServerStatus> parse_server_status(std::string_view s) {
  return find_name<ServerStatus>(kServerNames, s);
}
std::optional<ClientStatus> parse_client_status(std::string_view s) {
  return find_name<ClientStatus>(kClientNames, s);
}
std::optional<Mode> parse_mode(std::string_view s) { return find_name<Mode>(kModeNames, s); }

uint32_t status_word_bit(std::string_view word) {
  static_assert(kServerStatusCount <= 16 && kClientStatusCount <= 16);
  if (auto s = parse_server_status(word)) return uint32_t{1} << size_t(*s);
  if (auto c = parse_client_status(word)) return uint32_t{1} << (16 + size_t(*c));
  return 0;
}

}  // namespace backbeat
