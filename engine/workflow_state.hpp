#pragma once
// One workflow and all of its nodes: what a workflow actor holds in memory.
#include <optional>
#include <unordered_map>
#include <vector>

#include "engine/model.hpp"

namespace backbeat::engine {

class WorkflowState {
 public:
  WorkflowState() = default;
  // nodes in any order; they are kept sorted by seq.
  WorkflowState(std::optional<Workflow> workflow, std::vector<Node> nodes);

  bool exists() const { return workflow_.has_value(); }
  const Workflow& workflow() const { return *workflow_; }
  const std::vector<Node>& nodes() const { return nodes_; }  // seq order
  const Node* find(const Uuid& id) const;
  // Every status word some node of the workflow has reached (status_word_bit).
  uint32_t past_statuses() const { return past_statuses_; }

  // Only the engine writes; it keeps seq order by appending with higher seqs.
  void set_workflow(Workflow w) { workflow_ = std::move(w); }
  void upsert(Node n);

 private:
  std::optional<Workflow> workflow_;
  std::vector<Node> nodes_;
  std::unordered_map<Uuid, size_t> index_;
  uint32_t past_statuses_ = 0;
};

}  // namespace backbeat::engine
