#pragma once
// Retention (docs/storage.md): every sweep_interval, deletes complete
// workflows whose last change is older than completed_after, so the store
// does not grow forever. Each sweep step looks at no more than batch_size
// workflows of the retention queue and keeps only a few purges in flight, so
// it never holds up the node; when the queue has more, the next step follows
// shortly, until the pass reaches the cutoff. Each purge goes to the
// workflow's own actor, which checks again and deletes in one batch, after
// archiving the workflow when an archive_dir is set.
#include <functional>
#include <optional>
#include <string>

#include <caf/all.hpp>

#include "actors/services.hpp"

namespace backbeat::actors {

struct SweepReport {
  Millis started_at = 0;
  Millis finished_at = 0;
  Millis cutoff = 0;    // workflows last changed after this stay
  size_t examined = 0;  // retention queue entries looked at
  size_t purged = 0;
  size_t kept = 0;    // still needed (or changed since); looked at again next pass
  size_t failed = 0;  // could not be purged now; tried again next pass
  bool more = false;  // the pass goes on: the next step follows shortly
  std::string error;  // why the step ended early, else empty
};

struct RetentionStatus {
  bool sweeping = false;
  std::optional<SweepReport> last;
};

// Callbacks run on the sweeper's thread and must not block.
struct SweepRequest {
  std::function<void(const SweepReport&)> done;
};
struct RetentionStatusRequest {
  std::function<void(const RetentionStatus&)> done;
};

// Messages:
//   (sweep_atom, SweepRequest)            one sweep step now (after the running one)
//   (stats_atom, RetentionStatusRequest)  what it is doing and its last step
// Spawn only with svc->retention.enabled(); it starts sweeping on its own.
caf::actor spawn_retention(caf::actor_system& system, const Services* svc);

}  // namespace backbeat::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::actors::SweepRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::actors::RetentionStatusRequest)
