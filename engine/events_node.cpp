// Events addressed to one node: client reports, operator controls, timers,
// callback outcomes and link updates.
#include <algorithm>

#include "engine/handlers.hpp"
#include "engine/steps.hpp"

namespace backbeat::engine {
namespace {

using ev::StatusWord;

// A node of this user, or the 404 every foreign or unknown node gets.
Result<const Node*> owned(Txn& t, const Uuid& user, const Uuid& id) {
  const Node* n = t.find(id);
  if (!n || n->user_id != user) return node_not_found(id);
  return n;
}

bool deactivated(const Node& n) { return n.server_status == ServerStatus::deactivated; }

// A client that resends a report after a dropped connection gets a success
// and nothing changes (docs/contract.md §19).
bool is_repeat(const Node& n, StatusWord w) {
  switch (w) {
    case StatusWord::processing: return n.client_status == ClientStatus::processing;
    case StatusWord::completed: return n.client_status == ClientStatus::complete;
    case StatusWord::errored:
      return n.client_status == ClientStatus::errored &&
             (n.server_status == ServerStatus::retrying ||
              n.server_status == ServerStatus::retries_exhausted);
    case StatusWord::resolved: return n.client_status == ClientStatus::resolved;
    case StatusWord::shutdown: return n.client_status == ClientStatus::shutdown;
    case StatusWord::canceled:
    case StatusWord::deactivated: return false;
  }
  return false;
}

Result<Reply> done(Status s) {
  if (!s) return s.error();
  return Reply{};
}

}  // namespace

Result<Reply> on_event(Txn& t, const ev::ClientStatusUpdate& e) {
  auto n = owned(t, e.user_id, e.node_id);
  if (!n) return n.error();
  // Every event on a dead node is dropped silently (docs/contract.md §6).
  if (deactivated(**n) || is_repeat(**n, e.word)) return Reply{};
  // An activity actor's report of a run that was superseded (a deadline, a
  // restart) or whose node moved on must not touch the current run.
  if (e.attempt && ((*n)->attempt != *e.attempt || !(*n)->at_client())) return Reply{};
  touch_deadline(t, e.node_id);
  switch (e.word) {
    case StatusWord::processing: {
      Status s = t.transition(e.node_id, ClientStatus::processing, std::nullopt);
      // An in-engine run dies with the process, so its node stays in flight
      // (re-run after a restart) until it reports an outcome; a client's
      // "processing" means the work is safe at the client.
      if (s && !t.find(e.node_id)->runs_in_engine()) t.mut(e.node_id).callback_pending = false;
      return done(s);
    }
    case StatusWord::completed: return done(client_complete(t, e.node_id, e.response));
    case StatusWord::errored: return done(client_error(t, e.node_id, e.response, e.error));
    case StatusWord::resolved: return done(client_resolved(t, e.node_id, e.response));
    case StatusWord::shutdown: return done(client_shutdown(t, e.node_id, e.response));
    case StatusWord::canceled: return done(cancel_node(t, e.node_id));
    case StatusWord::deactivated: return done(deactivate_previous(t, e.node_id));
  }
  return Reply{};
}

Result<Reply> on_event(Txn& t, const ev::Restart& e) {
  auto n = owned(t, e.user_id, e.node_id);
  if (!n) return n.error();
  if (deactivated(**n)) return Reply{};
  Status s = retry_node(t, e.node_id);
  // A manual restart means "now", not at the back-off time already chosen
  // (the original waited for it, docs/contract.md §17.28).
  if (s) t.mut(e.node_id).fires_at = t.now();
  return done(s);
}

Result<Reply> on_event(Txn& t, const ev::Reset& e) {
  auto n = owned(t, e.user_id, e.node_id);
  if (!n) return n.error();
  if (deactivated(**n)) return Reply{};
  return done(reset_node(t, e.node_id));
}

Result<Reply> on_event(Txn& t, const ev::ScheduleNode& e) {
  auto n = owned(t, e.user_id, e.node_id);
  if (!n) return n.error();
  if (deactivated(**n)) return Reply{};
  touch_deadline(t, e.node_id);
  t.enqueue({Job::Kind::schedule_next, e.node_id});
  return Reply{};
}

Result<Reply> on_event(Txn& t, const ev::TimerFired& e) {
  t.timer_done(e.timer);
  const Node* n = t.find(e.timer.node_id);
  if (!n || deactivated(*n)) return Reply{};
  switch (e.timer.kind) {
    case TimerKind::start_node:
      if (n->server_status == ServerStatus::started && n->fires_at <= t.now())
        t.enqueue({Job::Kind::start_node, n->id});
      break;
    case TimerKind::retry:
      if (n->server_status == ServerStatus::retrying && n->fires_at <= t.now())
        t.enqueue({Job::Kind::retry_node, n->id});
      break;
    case TimerKind::deadline:
      if (n->at_client() && n->complete_by && *n->complete_by <= t.now()) {
        static constexpr std::string_view kText =
            "Client did not respond within the specified 'complete_by' time";
        const std::string quoted = json_quote(kText);
        return done(client_error(t, n->id, "{\"error\":" + quoted + "}", quoted));
      }
      break;
  }
  return Reply{};
}

Result<Reply> on_event(Txn& t, const ev::CallbackOutcome& e) {
  const Node* n = t.find(e.node_id);
  if (!n || n->attempt != e.attempt || deactivated(*n)) return Reply{};
  if (e.delivered) {
    if (n->callback_pending) t.mut(e.node_id).callback_pending = false;
    return Reply{};
  }
  // The client may have answered through the API before its endpoint failed;
  // then the node has moved on and the failure says nothing about it.
  if (!n->at_client()) return Reply{};
  const std::string error = "{\"message\":" + json_quote(e.error_message) + "}";
  return done(client_error(t, e.node_id, "{\"error\":" + error + "}", error));
}

Result<Reply> on_event(Txn& t, const ev::LinkUpdate& e) {
  // Delivered, whatever becomes of it here: the sender stops re-sending.
  if (e.message_id) t.message_done(*e.message_id);
  const Node* target = t.find(e.target_node);
  if (!target) {
    t.warn("link update for unknown node " + e.target_node.str());
    return Reply{};
  }
  // Checked here as well as when the link node was made: this is where every
  // path (the outbox, another member) arrives, and a link the target's owner
  // never allowed would hold its node forever.
  if (const TenantPolicy* policy = t.ctx().policy;
      policy && !e.by_user.is_nil() && e.by_user != target->user_id &&
      !policy->may_involve(e.by_user, target->user_id)) {
    t.refuse_link("link from node " + e.link_node.str() + " refused: user " + e.by_user.str() +
           " may not involve the owner of node " + e.target_node.str());
    return Reply{};
  }
  const LinkRef* known = nullptr;
  for (const LinkRef& l : target->links)
    if (l.node_id == e.link_node) known = &l;
  // Finished is final: a late "registered" never reopens a link.
  const bool finished = e.finished || (known && known->finished);
  if (!known || known->finished != finished) {
    Node& n = t.mut(e.target_node);
    auto it = std::find_if(n.links.begin(), n.links.end(),
                           [&](const LinkRef& l) { return l.node_id == e.link_node; });
    if (it == n.links.end()) n.links.push_back(LinkRef{e.link_node, finished});
    else it->finished = finished;
  }
  if (e.finished) t.enqueue({Job::Kind::schedule_next, e.target_node});
  return Reply{};
}

}  // namespace backbeat::engine
