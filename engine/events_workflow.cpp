// Events addressed to a workflow: create, signal, decisions, flags.
#include "engine/handlers.hpp"
#include "engine/steps.hpp"

namespace backbeat::engine {
namespace {

Error bad_request(std::string message) {
  return make_error(Error::Kind::validation, std::move(message));
}

Status validate(const NodeSpec& spec) {
  if (spec.name.empty()) return bad_request("name is required");
  if (spec.retries && *spec.retries < 0) return bad_request("retry must be >= 0");
  if (spec.retry_interval_s && *spec.retry_interval_s < 0)
    return bad_request("retry_interval must be >= 0");
  if (spec.activity_type) {
    if (!valid_activity_type(*spec.activity_type))
      return bad_request("activity_type must be 1-64 characters of a-z, 0-9, '_', '-' and '.'");
    // A decision is the client's decider at work and a flag is never sent:
    // neither has anything for an activity actor to do.
    const std::string type = spec.type.value_or("activity");
    if (type == "decision" || type == "flag")
      return bad_request("activity_type is only for activity nodes, not type " + type);
  }
  return ok_status();
}

// client_id may name another user only with the admin's grant; an unknown
// one reads the same, so user ids cannot be probed (docs/security.md).
Status may_hand_over(const Txn& t, const NodeSpec& spec, const Uuid& requester) {
  const TenantPolicy* policy = t.ctx().policy;
  if (!spec.client_id || *spec.client_id == requester || !policy ||
      policy->may_involve(requester, *spec.client_id))
    return ok_status();
  return make_error(Error::Kind::forbidden,
                    "client_id " + spec.client_id->str() +
                        " names a user you have not been granted (an admin grants it with "
                        "PUT /users/:you/grants/:other)");
}

// Every node a workflow ever held counts against its owner's quota.
Status room_for(const Txn& t, size_t new_nodes) {
  const TenantPolicy* policy = t.ctx().policy;
  if (!policy) return ok_status();
  const uint64_t held = t.workflow().next_seq - 1;
  const uint64_t limit = policy->max_nodes_per_workflow(t.workflow().user_id);
  if (held + new_nodes <= limit) return ok_status();
  return make_error(Error::Kind::workflow_node_quota,
                    "workflow " + t.workflow().id.str() + " holds " + std::to_string(held) +
                        " nodes and may hold at most " + std::to_string(limit) +
                        " (quotas.nodes_per_workflow)");
}

// A new node with the original's defaults; seq comes from the workflow.
Node& new_node(Txn& t, const NodeSpec& spec, const Uuid& requester, std::optional<Uuid> parent) {
  Node n;
  n.id = t.ctx().ids->next();
  n.workflow_id = t.workflow().id;
  n.user_id = spec.client_id.value_or(requester);
  n.created_by = requester;
  n.parent_id = parent;
  n.parent_link_id = spec.parent_link_id;
  n.name = spec.name;
  n.mode = spec.mode.value_or(Mode::blocking);
  n.legacy_type = spec.type.value_or("activity");
  n.activity_type = spec.activity_type.value_or("");
  n.server_status = spec.server_status.value_or(ServerStatus::pending);
  n.client_status = spec.client_status.value_or(ClientStatus::pending);
  n.seq = t.mutable_workflow().next_seq++;
  n.fires_at = spec.fires_at.value_or(t.now() - 1000);
  n.retries_remaining = spec.retries.value_or(t.ctx().rules.default_retries);
  n.retry_interval_s = spec.retry_interval_s.value_or(t.ctx().rules.default_retry_interval_s);
  n.client_data = spec.client_data;
  n.metadata = spec.metadata;
  n.timeout_s = spec.timeout_s;
  n.created_at = n.updated_at = t.now();
  Node& created = t.create(std::move(n));
  if (created.parent_link_id) t.link(created, false);
  return created;
}

bool done_with_client(ClientStatus c) {
  return c == ClientStatus::complete || c == ClientStatus::resolved || c == ClientStatus::shutdown;
}

}  // namespace

Result<Reply> on_event(Txn& t, const ev::CreateWorkflow& e) {
  if (t.has_workflow()) {
    if (t.workflow().user_id != e.user_id) return workflow_not_found(e.id);
    return Reply{t.workflow()};
  }
  if (e.name.empty()) return bad_request("name (or workflow_type) is required");
  if (e.decider.empty()) return bad_request("decider is required");
  if (e.subject.empty()) return bad_request("subject is required");
  Workflow w;
  w.id = e.id;
  w.user_id = e.user_id;
  w.name = e.name;
  w.decider = e.decider;
  w.subject = e.subject;
  w.created_at = w.updated_at = t.now();
  t.create_workflow(w);
  return Reply{w};
}

Result<Reply> on_event(Txn& t, const ev::Signal& e) {
  if (!t.has_workflow() || t.workflow().user_id != e.user_id)
    return workflow_not_found(e.workflow_id);
  if (t.workflow().complete)
    return make_error(Error::Kind::workflow_complete, "Backbeat::WorkflowComplete");
  NodeSpec spec = e.spec;
  // Signals are decisions, always blocking and born ready
  // (docs/contract.md §9.1, §4.2); validated as such, so an activity_type on
  // one is refused.
  spec.type = "decision";
  if (auto s = validate(spec); !s) return s.error();
  if (auto s = may_hand_over(t, spec, e.user_id); !s) return s.error();
  if (auto s = room_for(t, 1); !s) return s.error();
  spec.mode = Mode::blocking;
  spec.server_status = ServerStatus::ready;
  spec.client_status = ClientStatus::ready;
  Node reply = new_node(t, spec, e.user_id, std::nullopt);
  t.enqueue({Job::Kind::schedule_next, std::nullopt});
  return Reply{reply};
}

Result<Reply> on_event(Txn& t, const ev::AddDecisions& e) {
  const Node* parent = t.find(e.node_id);
  if (!parent || parent->user_id != e.user_id) return node_not_found(e.node_id);
  // The original kept such children pending forever (docs/contract.md §17.19).
  if (done_with_client(parent->client_status))
    return make_error(Error::Kind::invalid_decisions_state,
                      "Cannot add decisions to a node whose client status is " +
                          std::string(to_string(parent->client_status)));
  for (const NodeSpec& spec : e.decisions) {
    if (auto s = validate(spec); !s) return s.error();
    if (auto s = may_hand_over(t, spec, e.user_id); !s) return s.error();
  }
  if (auto s = room_for(t, e.decisions.size()); !s) return s.error();
  std::vector<Uuid> ids;
  for (const NodeSpec& spec : e.decisions) ids.push_back(new_node(t, spec, e.user_id, e.node_id).id);
  return Reply{ids};
}

Result<Reply> on_event(Txn& t, const ev::SetFlag& e) {
  if (!t.has_workflow() || t.workflow().user_id != e.user_id)
    return workflow_not_found(e.workflow_id);
  switch (e.flag) {
    case ev::WorkflowFlag::complete: t.mutable_workflow().complete = true; break;
    case ev::WorkflowFlag::pause: t.mutable_workflow().paused = true; break;
    case ev::WorkflowFlag::resume:
      t.mutable_workflow().paused = false;
      for (const Uuid& id : t.all_nodes()) {
        if (t.find(id)->server_status != ServerStatus::paused) continue;
        if (auto s = t.transition(id, std::nullopt, ServerStatus::started); !s) return s.error();
        if (t.find(id)->fires_at <= t.now()) t.enqueue({Job::Kind::start_node, id});
      }
      break;
  }
  return Reply{};
}

}  // namespace backbeat::engine
