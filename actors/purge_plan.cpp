#include "actors/purge_plan.hpp"

#include "actors/archive_record.hpp"
#include "actors/persistence.hpp"

namespace backbeat::actors {
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
      plan_persistence(wf.id, state, effects_of_whole(state, std::move(rows)), users, ids, now);
  if (as_written.writes.error()) return *as_written.writes.error();
  plan.erase.erase_keys_of(as_written.writes);
  return plan;
}

Error retained(std::string why) { return make_error(Error::Kind::retained, std::move(why)); }

bool is_retained(const Error& e) { return e.kind == Error::Kind::retained; }

}  // namespace backbeat::actors
