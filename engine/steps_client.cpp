// Steps driven by what the client reports (docs/contract.md §6): complete,
// resolved, shutdown, error, cancel, deactivate.
#include "engine/status_machine.hpp"
#include "engine/steps.hpp"

namespace backbeat::engine {
namespace {

// The client is done with the node: it leaves the client's hands and its
// children (posted as decisions) may now run.
Status finish_with_client(Txn& t, const Uuid& id, ClientStatus word, std::string_view response) {
  if (auto s = t.transition(id, word, ServerStatus::processing_children, response); !s) return s;
  Node& n = t.mut(id);
  n.complete_by.reset();
  n.callback_pending = false;
  return ok_status();
}

}  // namespace

Status mark_children_ready(Txn& t, const Uuid& id) {
  for (const Uuid& child : t.children_of(id)) {
    if (t.find(child)->server_status == ServerStatus::deactivated) continue;
    if (auto s = t.transition(child, ClientStatus::ready, ServerStatus::ready, "{}",
                              RowOrder::server_first);
        !s)
      return s;
  }
  t.enqueue({Job::Kind::schedule_next, id});
  return ok_status();
}

Status client_complete(Txn& t, const Uuid& id, std::string_view response) {
  if (auto s = finish_with_client(t, id, ClientStatus::complete, response); !s) return s;
  return mark_children_ready(t, id);
}

Status client_resolved(Txn& t, const Uuid& id, std::string_view response) {
  if (auto s = finish_with_client(t, id, ClientStatus::resolved, response); !s) return s;
  return mark_children_ready(t, id);
}

Status client_shutdown(Txn& t, const Uuid& id, std::string_view response) {
  if (auto s = finish_with_client(t, id, ClientStatus::shutdown, response); !s) return s;
  const Node& n = *t.find(id);
  if (n.mode == Mode::blocking) {
    // Later siblings die; for a signal that is every later signal
    // (docs/contract.md §17.3).
    const uint64_t seq = n.seq;
    for (const Uuid& sibling : t.children_of(n.parent_id))
      if (t.find(sibling)->seq > seq)
        if (auto s = t.deactivate(sibling); !s) return s;
  }
  return mark_children_ready(t, id);
}

Status client_error(Txn& t, const Uuid& id, std::string_view response, std::string error) {
  const Node& n = *t.find(id);
  const bool will_retry = n.retries_remaining > 0;
  const ServerStatus next = will_retry ? ServerStatus::retrying : ServerStatus::retries_exhausted;
  // Both checks before any write: the original changed the client field and
  // the counter even when the server move then failed (docs/contract.md §17.7).
  if (!client_transition_allowed(n.client_status, ClientStatus::errored))
    return invalid_client_transition(n.client_status, ClientStatus::errored);
  if (!server_transition_allowed(n.server_status, next))
    return invalid_server_transition(n.server_status, next);
  t.transition(id, ClientStatus::errored, std::nullopt, response);
  t.transition(id, std::nullopt, next);

  Node& m = t.mut(id);
  m.callback_pending = false;
  if (!will_retry) {
    t.notify(id, "Client Error", std::move(error));
    return ok_status();
  }
  m.retries_remaining -= 1;
  m.retries_made += 1;
  const double jitter = t.ctx().jitter ? t.ctx().jitter() : 1.0;
  m.fires_at = t.now() + retry_delay_ms(m.retry_interval_s, m.retries_made, jitter,
                                        t.ctx().rules.max_retry_delay_s);
  if (m.fires_at <= t.now()) t.enqueue({Job::Kind::retry_node, id});
  return ok_status();
}

Status cancel_node(Txn& t, const Uuid& id) {
  for (const Uuid& d : t.descendants_of(id))
    if (auto s = t.deactivate(d); !s) return s;
  if (auto s = t.deactivate(id); !s) return s;
  t.enqueue({Job::Kind::schedule_next, t.find(id)->parent_id});
  return ok_status();
}

Status deactivate_previous(Txn& t, const Uuid& id) {
  // Every earlier node of the workflow, in any branch (docs/contract.md §17.2),
  // as the original.
  const uint64_t seq = t.find(id)->seq;
  for (const Uuid& other : t.all_nodes())
    if (t.find(other)->seq < seq)
      if (auto s = t.deactivate(other); !s) return s;
  return ok_status();
}

}  // namespace backbeat::engine
