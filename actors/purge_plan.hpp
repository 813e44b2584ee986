#pragma once
// How retention deletes one workflow: every record it has in every column
// family, in one batch. The keys are not listed here. The workflow as it is
// now is laid out by the same code that persists every change
// (plan_persistence), as if it were all new, and the purge erases exactly
// what that would write; a change to the key or index layout therefore
// changes what a purge deletes with it.
#include <optional>
#include <string>
#include <vector>

#include "actors/user_directory.hpp"
#include "engine/result.hpp"
#include "engine/workflow_state.hpp"
#include "storage/store.hpp"
#include "storage/write_set.hpp"

namespace backbeat::actors {

struct PurgePlan {
  storage::WriteSet erase;
  std::optional<std::string> archive_line;  // when asked for
};

// `state` must be what the store holds (nothing waiting for the disk); its
// status changes are read from `store`. Outbox records are not touched: a
// workflow with undelivered ones is not purged (retention_sweep.hpp).
Result<PurgePlan> plan_purge(const engine::WorkflowState& state, const storage::Store& store,
                             const UserDirectory& users, UuidGenerator& ids, Millis now,
                             bool with_archive);

// The answer of a workflow actor that keeps its workflow: not an error of
// the request, a decision (CommandResult.error carries it).
Error retained(std::string why);
bool is_retained(const Error& e);

}  // namespace backbeat::actors
