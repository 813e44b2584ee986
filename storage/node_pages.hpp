#pragma once
// One workflow's nodes in seq order, a bounded number at a time: what the
// tree, /nodes and /children answer from. A workflow may have tens of
// thousands of nodes; an answer holds at most `limit` of them, and says
// whether more matched, so a caller can refuse a whole tree it cannot send
// or hand out the next page.
//
// Nodes are keyed by id, not seq, so every page reads the workflow's node
// records once (a pass costs the workflow's size, the memory held the
// page's); only a seq index would make a page cost its own size.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "engine/model.hpp"
#include "engine/result.hpp"
#include "storage/store.hpp"

namespace backbeat::storage {

struct NodeQuery {
  std::function<bool(const Node&)> keep;  // empty: every node
  std::optional<uint64_t> after_seq;      // only nodes with a higher seq
  size_t limit = 0;
};

struct NodePage {
  std::vector<Node> nodes;  // by seq, at most `limit`
  bool more = false;        // other kept nodes follow the last one
};

Result<NodePage> workflow_nodes(const Store& store, const Uuid& workflow, const NodeQuery& query);

}  // namespace backbeat::storage
