#pragma once
// The reads of one retention sweep step (retention_actor.hpp), on the store
// as it is: which complete workflows to look at next, in the order of the
// retention queue (storage/indexes.hpp), and which of them the sweeper can
// already tell must stay, so their actors are not even woken. The workflow
// actor decides on its own state in the end.
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/result.hpp"
#include "storage/store.hpp"

namespace backbeat::actors {

struct QueueStep {
  std::vector<Uuid> candidates;  // queue order: oldest created first
  std::string resume_after;      // where the next step starts; empty: from the start
  bool more = false;             // stopped at the limit, not at the cutoff or the end
};

// Complete workflows created at or before `cutoff`, after `resume_after`,
// at most `limit`.
Result<QueueStep> next_candidates(const storage::Store& store, const std::string& resume_after,
                                  Millis cutoff, size_t limit);

// Workflows that have an outbox message not yet delivered: one they sent
// (a notification, a link update), or a link update to one of their nodes.
Result<std::unordered_set<Uuid>> workflows_with_undelivered(const storage::Store& store);

// Why the stored workflow must stay (engine::retention_blocker), or nullopt.
Result<std::optional<std::string>> stored_blocker(const storage::Store& store, const Uuid& wf,
                                                  Millis cutoff);

}  // namespace backbeat::actors
