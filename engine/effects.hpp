#pragma once
// What applying an event asks the outside world to do. The actor persists
// everything in one batch, and only once that batch is durable does it send
// callbacks, notifications and link messages, or answer the request.
#include <string>
#include <variant>
#include <vector>

#include "engine/model.hpp"

namespace backbeat::engine {

struct Callback {
  Uuid node_id;
  uint32_t attempt = 0;
};

struct Notification {
  Uuid node_id;
  std::string message;  // "Client Error" | "Server Error"
  std::string error;    // JSON text; the E of docs/contract.md §8.3 before its derivation
};

// Tell the workflow owning target that link_node names it as parent_link_id
// (finished = false) or that link_node completed or died (finished = true).
struct LinkMessage {
  Uuid target_node;
  Uuid link_node;
  bool finished = false;
  Uuid by_user;  // the link node's creator, checked where the link is applied
};

struct Effects {
  bool workflow_changed = false;
  bool workflow_created = false;
  std::vector<Uuid> changed_nodes;  // each once, in order of first change
  std::vector<Uuid> created_nodes;  // those of changed_nodes that are new
  std::vector<StatusChange> status_changes;
  std::vector<Timer> timers_set;
  std::vector<Timer> timers_cleared;
  std::vector<Uuid> inflight_set;  // nodes whose callback is now outstanding
  std::vector<Uuid> inflight_cleared;
  std::vector<Callback> callbacks;
  std::vector<Notification> notifications;
  std::vector<LinkMessage> links;
  std::vector<Uuid> messages_done;    // durable messages (links) applied here
  std::vector<std::string> warnings;  // server-side failures worth a log line
  uint32_t links_refused = 0;         // link updates dropped: no grant for the target

  bool persists_nothing() const {
    return !workflow_changed && changed_nodes.empty() && status_changes.empty() &&
           timers_cleared.empty() && messages_done.empty();
  }
};

using Reply = std::variant<std::monostate, Workflow, Node, std::vector<Uuid>>;

struct Outcome {
  Reply reply;
  Effects effects;
};

}  // namespace backbeat::engine
