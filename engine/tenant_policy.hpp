#pragma once
// What one tenant may do to another, and how much one workflow may hold:
// the admin's grants and the quotas of docs/security.md. Injected through the
// Context like the clock, so the rules stay pure; the node implements it over
// its user directory and config.
#include <cstdint>

#include "engine/uuid.hpp"

namespace backbeat::engine {

class TenantPolicy {
 public:
  virtual ~TenantPolicy() = default;
  // Whether `requester` may hand nodes to `other` (client_id) or make them
  // wait on its nodes (parent_link_id). Never asked for requester == other.
  // False for an unknown `other`, so ids cannot be probed.
  virtual bool may_involve(const Uuid& requester, const Uuid& other) const = 0;
  // Most nodes a workflow of `owner` may ever hold: every node in a workflow
  // counts against its owner, whoever it was handed to.
  virtual uint64_t max_nodes_per_workflow(const Uuid& owner) const = 0;
};

}  // namespace backbeat::engine
