#include "actors/retention_sweep.hpp"

#include "engine/retention.hpp"
#include "storage/errors.hpp"
#include "storage/indexes.hpp"
#include "storage/keys.hpp"

namespace backbeat::actors {

Result<QueueStep> next_candidates(const storage::Store& store, const std::string& resume_after,
                                  Millis cutoff, size_t limit) {
  auto view = store.view();
  auto cursor = view->cursor(storage::Family::search, storage::index::completed_workflows());
  // Suffixes all have one length, so prefix_end of one is the next one.
  Result<bool> found =
      cursor->seek(resume_after.empty() ? std::string() : storage::keys::prefix_end(resume_after));
  QueueStep step;
  while (found && *found) {
    auto entry = storage::index::parse_completed(cursor->suffix());
    if (!entry) return storage::corruption("malformed retention queue entry");
    if (entry->first > cutoff) break;  // and so were all after it
    if (step.candidates.size() == limit) {
      step.more = true;
      break;
    }
    step.candidates.push_back(entry->second);
    step.resume_after = std::string(cursor->suffix());
    found = cursor->next();
  }
  if (!found) return found.error();
  if (!step.more) step.resume_after.clear();
  return step;
}

Result<std::unordered_set<Uuid>> workflows_with_undelivered(const storage::Store& store) {
  auto outbox = store.load_outbox();
  if (!outbox) return outbox.error();
  std::unordered_set<Uuid> busy;
  auto owner_of = [&](const Uuid& node) -> Status {
    auto where = store.find_node(node);
    if (!where) return where.error();
    if (*where) busy.insert((*where)->workflow_id);
    return ok_status();
  };
  for (const storage::OutboxEntry& e : *outbox) {
    if (!e.workflow_id.is_nil()) busy.insert(e.workflow_id);
    if (e.kind != storage::OutboxEntry::Kind::link) continue;
    // Entries from before workflow_id existed name their sender only by node.
    for (const Uuid& node : {e.target_node, e.link_node})
      if (auto s = owner_of(node); !s) return s.error();
  }
  return busy;
}

Result<std::optional<std::string>> stored_blocker(const storage::Store& store, const Uuid& id,
                                                  Millis cutoff) {
  auto wf = store.get_workflow(id);
  if (!wf) return wf.error();
  if (!*wf) return std::optional<std::string>("no such workflow");
  auto nodes = store.load_nodes(id);
  if (!nodes) return nodes.error();
  return engine::retention_blocker(engine::WorkflowState(std::move(*wf), std::move(*nodes)),
                                   cutoff);
}

}  // namespace backbeat::actors
