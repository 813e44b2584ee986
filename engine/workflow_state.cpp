#include "engine/workflow_state.hpp"

#include <algorithm>

namespace backbeat::engine {

WorkflowState::WorkflowState(std::optional<Workflow> workflow, std::vector<Node> nodes)
    : workflow_(std::move(workflow)), nodes_(std::move(nodes)) {
  std::sort(nodes_.begin(), nodes_.end(),
            [](const Node& a, const Node& b) { return a.seq < b.seq; });
  for (size_t i = 0; i < nodes_.size(); ++i) {
    index_[nodes_[i].id] = i;
    past_statuses_ |= nodes_[i].past_statuses;
  }
}

const Node* WorkflowState::find(const Uuid& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &nodes_[it->second];
}

void WorkflowState::upsert(Node n) {
  past_statuses_ |= n.past_statuses;
  if (auto it = index_.find(n.id); it != index_.end()) {
    nodes_[it->second] = std::move(n);
    return;
  }
  // New nodes take the workflow's next seq, so appending keeps the order.
  index_[n.id] = nodes_.size();
  nodes_.push_back(std::move(n));
}

}  // namespace backbeat::engine
