#pragma once
// The two status fields every node carries (docs/contract.md §5): one owned by
// the server, one describing what the client reported.
#include <cstdint>
#include <optional>
#include <string_view>

namespace backbeat {

enum class ServerStatus : uint8_t {
  pending, ready, started, sent_to_client, processing_children, complete,
  paused, errored, retrying, retries_exhausted, deactivated,
};
inline constexpr int kServerStatusCount = 11;

enum class ClientStatus : uint8_t {
  pending, ready, received, processing, complete, errored, resolved, shutdown,
};
inline constexpr int kClientStatusCount = 8;

enum class Mode : uint8_t { blocking, non_blocking, fire_and_forget };

std::string_view to_string(ServerStatus s);
std::string_view to_string(ClientStatus s);
std::string_view to_string(Mode m);
std::optional<ServerStatus> parse_server_status(std::string_view s);
std::optional<ClientStatus> parse_client_status(std::string_view s);
std::optional<Mode> parse_mode(std::string_view s);

// One bit per status word, server and client words sharing a bit when they
// are spelt alike ("complete"), because past-status search matches by word.
// Lets the engine tell the first time a node or workflow reaches a word, so
// the search index is written once per word instead of once per row. 0 for
// a word that is neither.
uint32_t status_word_bit(std::string_view word);

}  // namespace backbeat
