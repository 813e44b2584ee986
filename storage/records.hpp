#pragma once
// Records that belong to storage rather than to the engine model.
#include <cstdint>
#include <string>

#include "runtime/engine/model.hpp"
#include "runtime/engine/uuid.hpp"

namespace backbeat::storage {

// A message that must reach its destination at least once (notifications):
// persisted before the first attempt, deleted once delivered.
struct OutboxEntry {
  Uuid id;
  std::string url;
  std::string body;
  uint32_t attempts = 0;
  Millis created_at = 0;
  friend bool operator==(const OutboxEntry&, const OutboxEntry&) = default;
};

// Where a node lives, so a callback naming only the node can be routed.
struct NodeLocation {
  Uuid workflow_id;
  Uuid user_id;
  friend bool operator==(const NodeLocation&, const NodeLocation&) = default;
};

}  // namespace backbeat::storage
