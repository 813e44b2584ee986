#pragma once
// Records that belong to storage rather than to the engine model.
#include <cstdint>
#include <string>

#include "engine/model.hpp"
#include "engine/uuid.hpp"

namespace backbeat::storage {

// A message that must reach its destination at least once (notifications):
// persisted before the first attempt, deleted once delivered.
struct OutboxEntry {
  // A notification is POSTed to url until accepted. A link update goes to the
  // workflow owning target_node, which deletes the entry in the same batch
  // that applies it; until then it is re-sent (applying it twice is harmless).
  enum class Kind : uint8_t { notification = 0, link = 1 };
  Uuid id;
  std::string url;
  std::string body;
  uint32_t attempts = 0;
  Millis created_at = 0;
  Kind kind = Kind::notification;
  Uuid target_node;
  Uuid link_node;
  bool finished = false;
  // The workflow whose change wrote it (nil in entries from older builds):
  // retention keeps a workflow while something it sent is undelivered.
  Uuid workflow_id;
  // Links: the user that set parent_link_id, whom the target's owner must
  // have granted (docs/security.md). Nil in entries from older builds.
  Uuid by_user;
  friend bool operator==(const OutboxEntry&, const OutboxEntry&) = default;
};

// Where a node lives, so a callback naming only the node can be routed.
struct NodeLocation {
  Uuid workflow_id;
  Uuid user_id;
  friend bool operator==(const NodeLocation&, const NodeLocation&) = default;
};

}  // namespace backbeat::storage
