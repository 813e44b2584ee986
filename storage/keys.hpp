#pragma once
// The key layout. Every integer is big-endian and every id is its 16 bytes
// (Uuid::bytes()), so RocksDB's bytewise order is the order we scan in:
// a workflow's nodes share a prefix, a node's history sorts by index, and
// timers sort by due time.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "engine/model.hpp"
#include "storage/records.hpp"

namespace backbeat::storage::keys {

inline constexpr size_t kUuidSize = 16;

std::string user(const Uuid& user_id);
std::string workflow(const Uuid& workflow_id);

// nodes: wf + node. node_prefix(wf) covers every node of one workflow.
std::string node(const Uuid& workflow_id, const Uuid& node_id);
std::string node_prefix(const Uuid& workflow_id);

// node_index: node -> location (value, 32 bytes: wf + user).
std::string node_index(const Uuid& node_id);
std::string node_location(const NodeLocation& location);
std::optional<NodeLocation> parse_node_location(std::string_view value);

// status_changes: wf + node + index. status_change_prefix covers one node.
std::string status_change(const Uuid& workflow_id, const Uuid& node_id, uint32_t index);
std::string status_change_prefix(const Uuid& workflow_id, const Uuid& node_id);

// timers: due + wf + node + kind. The key is the whole timer, so clearing one
// needs the exact Timer that set it.
std::string timer(const Timer& timer);
std::optional<Timer> parse_timer(std::string_view key);
// Smallest key greater than every timer due at or before `until`; empty when
// no key is (until is the largest Millis).
std::string timers_after(Millis until);

// inflight: wf + node.
std::string inflight(const Uuid& workflow_id, const Uuid& node_id);
std::optional<std::pair<Uuid, Uuid>> parse_inflight(std::string_view key);

std::string outbox(const Uuid& entry_id);

// The smallest key greater than every key starting with `prefix`; empty when
// there is none (the prefix is all 0xFF bytes), meaning "scan to the end".
std::string prefix_end(std::string_view prefix);

}  // namespace backbeat::storage::keys
