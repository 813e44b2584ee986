#include "storage/node_pages.hpp"

#include <algorithm>

#include "storage/codec.hpp"
#include "storage/keys.hpp"

namespace backbeat::storage {
namespace {

bool by_seq(const Node& a, const Node& b) { return a.seq < b.seq; }

}  // namespace

Result<NodePage> workflow_nodes(const Store& store, const Uuid& workflow, const NodeQuery& q) {
  auto view = store.view();
  auto cursor = view->cursor(Family::nodes, keys::node_prefix(workflow));
  // A max-heap by seq of the lowest `limit` + 1 kept so far: the extra one
  // tells whether more follow without holding them.
  std::vector<Node> lowest;
  auto found = cursor->seek({});
  while (found && *found) {
    auto node = decode<Node>(cursor->value());
    if (!node) return node.error();
    const bool wanted = (!q.after_seq || node->seq > *q.after_seq) && (!q.keep || q.keep(*node));
    if (wanted && (lowest.size() <= q.limit || node->seq < lowest.front().seq)) {
      lowest.push_back(std::move(node).value());
      std::push_heap(lowest.begin(), lowest.end(), by_seq);
      if (lowest.size() > q.limit + 1) {
        std::pop_heap(lowest.begin(), lowest.end(), by_seq);
        lowest.pop_back();
      }
    }
    found = cursor->next();
  }
  if (!found) return found.error();
  NodePage page;
  page.more = lowest.size() > q.limit;
  std::sort_heap(lowest.begin(), lowest.end(), by_seq);
  if (page.more) lowest.pop_back();
  page.nodes = std::move(lowest);
  return page;
}

}  // namespace backbeat::storage
