#include "actors/persistence.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "net/contract/json_presenters.hpp"
#include "net/contract/json_text.hpp"
#include "engine/engine.hpp"
#include "storage/indexes.hpp"

namespace backbeat::actors {
namespace {

std::optional<storage::OutboxEntry> outbox_entry(const engine::WorkflowState& state,
                                                 const engine::Notification& n,
                                                 const UserDirectory& users, UuidGenerator& ids,
                                                 Millis now) {
  const Node* node = state.find(n.node_id);
  if (!node) return std::nullopt;
  auto user = users.find(node->user_id);
  if (!user || user->notification_endpoint.empty()) return std::nullopt;  // nobody to tell
  auto error = nlohmann::json::parse(n.error, nullptr, false);
  if (error.is_discarded()) error = nullptr;
  storage::OutboxEntry e;
  e.id = ids.next();
  e.url = user->notification_endpoint;
  e.body = contract::dump_json(contract::notification_body(*node, state.workflow(), n.message, error));
  e.created_at = now;
  e.workflow_id = state.workflow().id;
  return e;
}

}  // namespace

PersistPlan plan_persistence(const Uuid& workflow_id, const engine::WorkflowState& state, const engine::Effects& effects,
                             const UserDirectory& users, UuidGenerator& ids, Millis now) {
  PersistPlan plan;
  storage::WriteSet& w = plan.writes;
  const Uuid& wf_id = workflow_id;
  if (effects.workflow_changed) {
    w.put_workflow(state.workflow());
    storage::index::index_completion(w, state.workflow());  // retention's queue, once complete
  }
  if (effects.workflow_created) storage::index::index_workflow(w, state.workflow());
  std::vector<const Node*> changed;
  changed.reserve(effects.changed_nodes.size());
  for (const Uuid& id : effects.changed_nodes) changed.push_back(state.find(id));
  for (const Node* n : changed) {
    const bool created = std::find(effects.created_nodes.begin(), effects.created_nodes.end(),
                                   n->id) != effects.created_nodes.end();
    if (created)
      w.put_new_node(*n);
    else
      w.put_node(*n);
  }
  for (const StatusChange& sc : effects.status_changes) w.add_status_change(wf_id, sc);
  // Search indexes move in the same batch as the records they describe.
  if (state.exists() && !changed.empty())
    storage::index::index_nodes(w, state.workflow(), changed, effects.created_nodes,
                                effects.status_changes);
  for (const Timer& t : effects.timers_cleared) w.clear_timer(t);
  for (const Timer& t : effects.timers_set) w.set_timer(t);
  for (const Uuid& id : effects.inflight_cleared) w.clear_inflight(wf_id, id);
  for (const Uuid& id : effects.inflight_set) w.set_inflight(wf_id, id);
  // Link updates go through the outbox too: the target's batch deletes the
  // record when it applies one, so a crash anywhere between re-sends it.
  for (const engine::LinkMessage& l : effects.links) {
    storage::OutboxEntry entry;
    entry.id = ids.next();
    entry.kind = storage::OutboxEntry::Kind::link;
    entry.target_node = l.target_node;
    entry.link_node = l.link_node;
    entry.finished = l.finished;
    entry.created_at = now;
    entry.workflow_id = wf_id;
    entry.by_user = l.by_user;
    w.put_outbox(entry);
    plan.outbox.push_back(std::move(entry));
  }
  for (const Uuid& id : effects.messages_done) w.delete_outbox(id);
  for (const engine::Notification& n : effects.notifications) {
    if (auto entry = outbox_entry(state, n, users, ids, now)) {
      w.put_outbox(*entry);
      plan.outbox.push_back(std::move(*entry));
    }
  }
  return plan;
}

engine::Effects effects_of_whole(const engine::WorkflowState& state,
                                 std::vector<StatusChange> history) {
  engine::Effects fx;
  fx.workflow_changed = true;
  fx.workflow_created = true;
  for (const Node& n : state.nodes()) {
    fx.changed_nodes.push_back(n.id);
    fx.created_nodes.push_back(n.id);
    for (const Timer& t : engine::timers_of(n)) fx.timers_set.push_back(t);
    if (n.callback_pending) fx.inflight_set.push_back(n.id);
  }
  // Stored rows do not keep the engine's "first to reach this word" marks
  // (model.hpp); set them again so each past-status entry is put once, as
  // the changes that wrote the rows put it.
  std::set<std::pair<Uuid, std::string>> node_words;
  std::set<std::string> workflow_words;
  for (StatusChange& sc : history) {
    sc.first_for_node = node_words.emplace(sc.node_id, sc.to_status).second;
    sc.first_for_workflow = workflow_words.insert(sc.to_status).second;
  }
  fx.status_changes = std::move(history);
  return fx;
}

}  // namespace backbeat::actors
