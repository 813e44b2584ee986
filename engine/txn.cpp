#include "engine/txn.hpp"

#include <algorithm>
#include <string>

#include "engine/status_machine.hpp"

namespace backbeat::engine {
Txn::Txn(WorkflowState& state, const Context& ctx) : state_(state), ctx_(ctx) {
  if (state.exists()) workflow_ = state.workflow();
}

Workflow& Txn::mutable_workflow() {
  workflow_dirty_ = true;
  workflow_->updated_at = now();
  return *workflow_;
}

void Txn::create_workflow(Workflow w) {
  workflow_ = std::move(w);
  workflow_dirty_ = true;
}

const Node* Txn::find(const Uuid& id) const {
  for (const Node& n : created_)
    if (n.id == id) return &n;
  if (auto it = modified_.find(id); it != modified_.end()) return &it->second;
  return state_.find(id);
}

Node& Txn::mut(const Uuid& id) {
  for (Node& n : created_)
    if (n.id == id) return n;
  if (auto it = modified_.find(id); it != modified_.end()) return it->second;
  touched_.push_back(id);
  return modified_.emplace(id, *state_.find(id)).first->second;
}

Node& Txn::create(Node n) {
  touched_.push_back(n.id);
  created_.push_back(std::move(n));
  return created_.back();
}

std::vector<Uuid> Txn::all_nodes() const {
  std::vector<Uuid> out;
  out.reserve(state_.nodes().size() + created_.size());
  for (const Node& n : state_.nodes()) out.push_back(n.id);
  for (const Node& n : created_) out.push_back(n.id);
  return out;
}

std::vector<Uuid> Txn::children_of(const std::optional<Uuid>& parent) const {
  std::vector<Uuid> out;
  for (const Uuid& id : all_nodes())
    if (find(id)->parent_id == parent) out.push_back(id);
  return out;
}

std::vector<Uuid> Txn::descendants_of(const Uuid& root) const {
  // Children always have higher seqs than their parent, so one pass in seq
  // order sees every parent before its children.
  std::vector<Uuid> out;
  std::vector<Uuid> frontier{root};
  for (const Uuid& id : all_nodes()) {
    const Node* n = find(id);
    if (n->parent_id && std::find(frontier.begin(), frontier.end(), *n->parent_id) != frontier.end()) {
      out.push_back(id);
      frontier.push_back(id);
    }
  }
  return out;
}

Status Txn::transition(const Uuid& id, std::optional<ClientStatus> client,
                       std::optional<ServerStatus> server, std::string_view response,
                       RowOrder order) {
  const Node* current = find(id);
  if (client && !client_transition_allowed(current->client_status, *client))
    return invalid_client_transition(current->client_status, *client);
  if (server && !server_transition_allowed(current->server_status, *server))
    return invalid_server_transition(current->server_status, *server);

  Node& n = mut(id);
  const bool was_finished = n.finished();
  auto row = [&](StatusType type, std::string_view from, std::string_view to) {
    StatusChange sc{n.id, n.status_change_count++, type, std::string(from), std::string(to),
                    std::string(response), now()};
    const uint32_t bit = status_word_bit(to);
    sc.first_for_node = !(n.past_statuses & bit);
    sc.first_for_workflow = !((state_.past_statuses() | past_statuses_) & bit);
    n.past_statuses |= bit;
    past_statuses_ |= bit;
    effects_.status_changes.push_back(std::move(sc));
  };
  auto write_client = [&] {
    if (!client) return;
    row(StatusType::client, to_string(n.client_status), to_string(*client));
    n.client_status = *client;
  };
  auto write_server = [&] {
    if (!server) return;
    row(StatusType::server, to_string(n.server_status), to_string(*server));
    n.server_status = *server;
  };
  if (order == RowOrder::client_first) {
    write_client();
    write_server();
  } else {
    write_server();
    write_client();
  }
  n.updated_at = now();
  // A finished link releases the node it links to; a dead one too
  // (docs/contract.md §19: the original let a deactivated link block its target
  // forever).
  if (n.parent_link_id && !was_finished && n.finished())
    link(n, true);
  return ok_status();
}

Status Txn::deactivate(const Uuid& id) {
  Status s = transition(id, std::nullopt, ServerStatus::deactivated);
  // A dead node is never re-sent, so whatever callback was out no longer counts.
  if (s && find(id)->callback_pending) mut(id).callback_pending = false;
  return s;
}

void Txn::commit(Effects& into, std::deque<Job>& jobs,
                 std::unordered_map<Uuid, std::optional<Node>>& originals) {
  if (workflow_dirty_) {
    if (!state_.exists()) into.workflow_created = true;
    state_.set_workflow(*workflow_);
    into.workflow_changed = true;
  }
  for (const Uuid& id : touched_) {
    const Node* before = state_.find(id);
    if (originals.emplace(id, before ? std::optional<Node>(*before) : std::nullopt).second) {
      into.changed_nodes.push_back(id);
      if (!before) into.created_nodes.push_back(id);
    }
    state_.upsert(*find(id));
  }
  auto append = [](auto& to, auto& from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  };
  append(into.status_changes, effects_.status_changes);
  append(into.timers_cleared, effects_.timers_cleared);
  append(into.callbacks, effects_.callbacks);
  append(into.notifications, effects_.notifications);
  append(into.links, effects_.links);
  append(into.messages_done, effects_.messages_done);
  append(into.warnings, effects_.warnings);
  into.links_refused += effects_.links_refused;
  append(jobs, jobs_);
  modified_.clear();
  created_.clear();
  touched_.clear();
  effects_ = Effects{};
  jobs_.clear();
  workflow_dirty_ = false;
  past_statuses_ = 0;  // now in the state's nodes
}

}  // namespace backbeat::engine
