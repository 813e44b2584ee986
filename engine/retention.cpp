#include "engine/retention.hpp"

#include <algorithm>

#include "engine/engine.hpp"

namespace backbeat::engine {

Millis last_activity(const WorkflowState& state) {
  Millis last = std::max(state.workflow().updated_at, state.workflow().created_at);
  for (const Node& n : state.nodes()) last = std::max({last, n.updated_at, n.created_at});
  return last;
}

std::optional<std::string> retention_blocker(const WorkflowState& state, Millis cutoff) {
  if (!state.exists()) return "no such workflow";
  if (!state.workflow().complete) return "not complete";
  for (const Node& n : state.nodes()) {
    if (!n.finished()) return "node " + n.id.str() + " has not finished";
    if (n.callback_pending) return "node " + n.id.str() + " has a callback out";
    if (!timers_of(n).empty()) return "node " + n.id.str() + " has a timer";
    // A node elsewhere that names this one as parent_link_id and has not
    // finished will still report here.
    for (const LinkRef& l : n.links)
      if (!l.finished) return "node " + n.id.str() + " waits for link " + l.node_id.str();
  }
  if (last_activity(state) > cutoff) return "changed too recently";
  return std::nullopt;
}

}  // namespace backbeat::engine
