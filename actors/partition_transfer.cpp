#include "actors/partition_transfer.hpp"

#include <utility>

#include "actors/persistence.hpp"
#include "actors/purge_plan.hpp"
#include "actors/user_directory.hpp"
#include "engine/workflow_state.hpp"

namespace backbeat::actors {
namespace {

// plan_persistence and plan_purge consult users and ids only to write new
// notifications and link messages, which effects_of_whole never asks for:
// nothing is looked up or made here.
class NoNewIds final : public UuidGenerator {
 public:
  Uuid next() override { return Uuid{}; }
};

struct Unused {
  UserDirectory users;
  NoNewIds ids;
  Millis now = 0;
};

engine::WorkflowState state_of(const storage::ExportedWorkflow& ex) {
  return engine::WorkflowState(ex.workflow, ex.nodes);
}

}  // namespace

Result<storage::WriteSet> import_workflow(const storage::ExportedWorkflow& ex) {
  if (auto s = storage::check_export(ex); !s) return s.error();
  const engine::WorkflowState state = state_of(ex);
  Unused unused;
  PersistPlan plan = plan_persistence(ex.workflow.id, state, effects_of_whole(state, ex.history),
                                      unused.users, unused.ids, unused.now);
  if (plan.writes.error()) return *plan.writes.error();
  for (const storage::OutboxEntry& e : ex.outbox) plan.writes.put_outbox(e);
  if (plan.writes.error()) return *plan.writes.error();
  return std::move(plan.writes);
}

Result<storage::WriteSet> purge_workflow_writes(const storage::Store& store, const Uuid& id) {
  auto found = storage::export_workflow(store, id);
  if (!found) return found.error();
  if (!*found) return storage::WriteSet{};
  const storage::ExportedWorkflow& ex = **found;
  Unused unused;
  auto plan = plan_purge(state_of(ex), store, unused.users, unused.ids, unused.now, false);
  if (!plan) return plan.error();
  for (const storage::OutboxEntry& e : ex.outbox) plan->erase.delete_outbox(e.id);
  return std::move(plan->erase);
}

}  // namespace backbeat::actors
