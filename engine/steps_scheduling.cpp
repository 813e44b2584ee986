// Steps the server takes on its own (docs/contract.md §6): walking children in
// seq order, sending nodes, completing parents, retrying, and server errors.
#include <string>

#include "engine/steps.hpp"

namespace backbeat::engine {
namespace {

bool links_finished(const Node& n) {
  for (const LinkRef& l : n.links)
    if (!l.finished) return false;
  return true;
}

}  // namespace

Error node_not_found(const Uuid& id) {
  return make_error(Error::Kind::record_not_found,
                    "Couldn't find Backbeat::Node with id=" + id.str());
}

Error workflow_not_found(const Uuid& id) {
  return make_error(Error::Kind::record_not_found,
                    "Couldn't find Backbeat::Workflow with id=" + id.str());
}

std::string json_quote(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xF];
        } else {
          out += char(c);
        }
    }
  }
  return out + "\"";
}

void touch_deadline(Txn& t, const Uuid& id) {
  Node& n = t.mut(id);
  const int64_t timeout_s = n.timeout_s.value_or(t.ctx().rules.client_timeout_s);
  if (timeout_s > 0)
    n.complete_by = t.now() + timeout_s * 1000;
  else
    n.complete_by.reset();
}

Status schedule_next(Txn& t, const std::optional<Uuid>& parent) {
  if (parent) {
    const Node* p = t.find(*parent);
    if (!p || p->server_status == ServerStatus::deactivated) return ok_status();
  }
  const std::vector<Uuid> children = t.children_of(parent);
  for (const Uuid& id : children) {
    const Node& c = *t.find(id);
    if (c.finished()) continue;
    if (c.server_status == ServerStatus::ready) {
      if (auto s = t.transition(id, std::nullopt, ServerStatus::started); !s) return s;
      // A future fires_at is a timer: the derived start_node timer sends it.
      if (t.find(id)->fires_at <= t.now()) t.enqueue({Job::Kind::start_node, id});
    }
    if (t.find(id)->mode == Mode::blocking) break;
  }
  if (!parent) return ok_status();  // a workflow never completes by itself (docs/contract.md §4.4)
  for (const Uuid& id : children) {
    const Node& c = *t.find(id);
    if (c.mode != Mode::fire_and_forget && !c.finished()) return ok_status();
  }
  if (!links_finished(*t.find(*parent))) return ok_status();
  return node_complete(t, *parent);
}

Status start_node(Txn& t, const Uuid& id) {
  const Node* n = t.find(id);
  if (!n || n->server_status != ServerStatus::started) return ok_status();  // already moved on
  if (t.workflow().paused) return t.transition(id, std::nullopt, ServerStatus::paused);
  touch_deadline(t, id);
  if (auto s = t.transition(id, ClientStatus::received, ServerStatus::sent_to_client, "{}",
                            RowOrder::server_first);
      !s)
    return s;
  Node& m = t.mut(id);
  m.attempt += 1;
  // A flag is never sent: the server completes it on the client's behalf.
  if (m.is_flag()) return client_complete(t, id, "{}");
  m.callback_pending = true;
  t.callback(id, m.attempt);
  return ok_status();
}

Status node_complete(Txn& t, const Uuid& id) {
  // Only a node whose client part is done can complete; the original also
  // tried from other states (e.g. a link finishing before its target was
  // answered) and failed the job (docs/contract.md §17).
  const Node& n = *t.find(id);
  if (n.server_status != ServerStatus::processing_children) return ok_status();
  if (auto s = t.transition(id, std::nullopt, ServerStatus::complete); !s) return s;
  if (n.mode != Mode::fire_and_forget) t.enqueue({Job::Kind::schedule_next, n.parent_id});
  return ok_status();
}

Status reset_node(Txn& t, const Uuid& id) {
  for (const Uuid& d : t.descendants_of(id))
    if (auto s = t.deactivate(d); !s) return s;
  return ok_status();
}

Status retry_node(Txn& t, const Uuid& id) {
  if (auto s = t.transition(id, ClientStatus::ready, ServerStatus::ready); !s) return s;
  if (auto s = reset_node(t, id); !s) return s;
  // The parent's walk re-sends it, so an unfinished blocking sibling before
  // it still holds it back, as in the original.
  t.enqueue({Job::Kind::schedule_next, t.find(id)->parent_id});
  return ok_status();
}

Status server_error(Txn& t, const Uuid& id, std::string_view message) {
  const std::string error = "{\"message\":" + json_quote(message) + "}";
  if (auto s = t.transition(id, std::nullopt, ServerStatus::errored, "{\"error\":" + error + "}");
      !s)
    return s;
  t.mut(id).callback_pending = false;
  t.notify(id, "Server Error", error);
  return ok_status();
}

}  // namespace backbeat::engine
