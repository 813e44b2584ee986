#pragma once
// The column families Backbeat keeps. Each record kind gets its own family so
// each can be tuned for how it is read (point lookups, prefix or range scans).
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace backbeat::storage {

enum class Family : uint8_t {
  users,           // user_id -> User
  workflows,       // wf_id -> Workflow
  nodes,           // wf_id + node_id -> Node
  node_index,      // node_id -> wf_id + user_id
  status_changes,  // wf_id + node_id + index -> StatusChange
  timers,          // due + wf_id + node_id + kind -> (empty)
  inflight,        // wf_id + node_id -> (empty)
  outbox,          // id -> OutboxEntry
  meta,            // free-form text keys
  search,          // secondary indexes for search and listings (indexes.hpp)
};
inline constexpr size_t kFamilyCount = 10;

// Names are on disk: never rename one.
constexpr std::string_view family_name(Family f) {
  constexpr std::string_view names[kFamilyCount] = {
      "users",    "workflows", "nodes",  "node_index", "status_changes",
      "timers",   "inflight",  "outbox", "meta",       "search",
  };
  return names[static_cast<size_t>(f)];
}

}  // namespace backbeat::storage
