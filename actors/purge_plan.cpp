#include "actors/purge_plan.hpp"

#include "actors/archive_record.hpp"
#include "actors/persistence.hpp"
#include "runtime/engine/engine.hpp"

namespace backbeat::actors {
namespace {

constexpr const char* kRetainedClass = "Backbeat::Retained";

// The effects of creating the workflow exactly as it is now, with its whole
// history: what persisting it from nothing would write.
engine::Effects everything(const engine::WorkflowState& state, std::vector<StatusChange> rows) {
  engine::Effects fx;
  fx.workflow_changed = true;
  fx.workflow_created = true;
  for (const Node& n : state.nodes()) {
    fx.changed_nodes.push_back(n.id);
    fx.created_nodes.push_back(n.id);
    for (const Timer& t : engine::timers_of(n)) fx.timers_set.push_back(t);
    if (n.callback_pending) fx.inflight_set.push_back(n.id);
  }
  fx.status_changes = std::move(rows);
  return fx;
}

}  // namespace

Result<PurgePlan> plan_purge(const engine::WorkflowState& state, const storage::Store& store,
                             const UserDirectory& users, UuidGenerator& ids, Millis now,
                             bool with_archive) {
  const Workflow& wf = state.workflow();
  std::vector<StatusChange> rows;
  for (const Node& n : state.nodes()) {
    auto mine = store.status_changes(wf.id, n.id);
    if (!mine) return mine.error();
    rows.insert(rows.end(), mine->begin(), mine->end());
  }
  PurgePlan plan;
  if (with_archive) plan.archive_line = archive_line(wf, state.nodes(), rows, now);
  PersistPlan as_written =
      plan_persistence(wf.id, state, everything(state, std::move(rows)), users, ids, now);
  if (as_written.writes.error()) return *as_written.writes.error();
  plan.erase.erase_keys_of(as_written.writes);
  return plan;
}

Error retained(std::string why) {
  return make_error(Error::Kind::conflict, kRetainedClass, std::move(why));
}

bool is_retained(const Error& e) { return e.error_class == kRetainedClass; }

}  // namespace backbeat::actors
