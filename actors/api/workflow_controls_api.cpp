// Operator controls and tree reads of one workflow (docs/contract.md §9.1,
// §10.3, §10.4, §12.3, §12.4): complete, pause, resume, children, nodes, tree.
// The reads run on a read thread (routing.hpp) and answer at most
// http.max_tree_nodes nodes at once; /nodes and /children also page.
#include <functional>
#include <string_view>

#include "actors/api/handlers.hpp"
#include "actors/api/inputs.hpp"
#include "storage/node_pages.hpp"

namespace backbeat::actors::api {
namespace {

void set_flag(Call call, engine::ev::WorkflowFlag flag) {
  auto id = id_from_path(call.params.value("id", ""));
  if (!id) return call.fail(id.error());
  // A point read keeps unknown ids from spawning actors for nothing.
  if (auto wf = owned_workflow(call, *id); !wf) return call.fail(wf.error());
  const Uuid user = call.me().id;
  command(std::move(call), *id, engine::ev::SetFlag{*id, user, flag},
          [](const Call& c, CommandResult&) { c.reply(200, {{"success", true}}); });
}

using NodeKeep = std::function<bool(const Node&)>;

Error too_many_nodes(const Uuid& workflow, size_t cap, std::string_view listing) {
  const std::string paged = "GET /workflows/" + workflow.str() + "/" + std::string(listing) +
                            "?per_page=1000, then with last_id=<the last node's id>";
  return make_error(Error::Kind::too_many_nodes,
                    "workflow " + workflow.str() + " has more than " + std::to_string(cap) +
                        " nodes, the most one answer holds (http.max_tree_nodes); read them a "
                        "page at a time: " +
                        paged);
}

// The caller's workflow named in the path.
Result<Workflow> workflow_in_path(const Call& call) {
  auto id = id_from_path(call.params.value("id", ""));
  if (!id) return id.error();
  return owned_workflow(call, *id);
}

// Every node of `wf` that `keep` keeps, in seq order, unless there are more
// than the cap: then a 413 naming the paged alternative (`listing`: nodes
// or children).
Result<std::vector<Node>> all_nodes(const Call& call, const Workflow& wf, const NodeKeep& keep,
                                    std::string_view listing) {
  const size_t cap = call.options->reads.max_tree_nodes;
  auto page = storage::workflow_nodes(*call.svc->store, wf.id, {keep, std::nullopt, cap});
  if (!page) return page.error();
  if (page->more) return too_many_nodes(wf.id, cap, listing);
  return std::move(page->nodes);
}

// One page of the kept nodes of `wf`, in seq order after the node last_id.
Result<std::vector<Node>> page_of_nodes(const Call& call, const Workflow& wf, NodeKeep keep,
                                        const NodePaging& paging) {
  storage::NodeQuery query{std::move(keep), std::nullopt, paging.per_page};
  if (paging.last_id) {
    auto last = call.svc->store->get_node(wf.id, *paging.last_id);
    if (!last) return last.error();
    if (!*last)
      return bad_request("last_id " + paging.last_id->str() + " is not a node of workflow " +
                         wf.id.str());
    query.after_seq = (*last)->seq;
  }
  auto page = storage::workflow_nodes(*call.svc->store, wf.id, query);
  if (!page) return page.error();
  return std::move(page->nodes);
}

// /nodes and /children: every kept node, as the original answered, or
// with per_page or last_id one page of them.
void reply_nodes(Call call, NodeKeep keep, std::string_view listing) {
  auto paging = node_paging(call.params);
  if (!paging) return call.fail(paging.error());
  auto wf = workflow_in_path(call);
  if (!wf) return call.fail(wf.error());
  auto nodes = *paging ? page_of_nodes(call, *wf, std::move(keep), **paging)
                       : all_nodes(call, *wf, keep, listing);
  if (!nodes) return call.fail(nodes.error());
  contract::OrderedJson out = contract::OrderedJson::array();
  for (const Node& n : *nodes) out.push_back(contract::present_node(n, *wf));
  call.reply(200, out);
}

// A tree is whole or not at all: over the cap, the 413 points at /nodes.
template <class Present>
void reply_tree(Call call, Present present) {
  auto wf = workflow_in_path(call);
  if (!wf) return call.fail(wf.error());
  auto nodes = all_nodes(call, *wf, {}, "nodes");
  if (!nodes) return call.fail(nodes.error());
  call.reply(200, present(*wf, *nodes));
}

}  // namespace

void complete_workflow(Call call) { set_flag(std::move(call), engine::ev::WorkflowFlag::complete); }
void pause_workflow(Call call) { set_flag(std::move(call), engine::ev::WorkflowFlag::pause); }
void resume_workflow(Call call) { set_flag(std::move(call), engine::ev::WorkflowFlag::resume); }

void workflow_children(Call call) {
  reply_nodes(std::move(call), [](const Node& n) { return !n.parent_id.has_value(); }, "children");
}

void workflow_nodes(Call call) {
  auto filter = node_filter(call.params);
  if (!filter) return call.fail(filter.error());
  // Exact match on the status words; an unknown word simply matches nothing.
  auto keep = [f = std::move(*filter)](const Node& n) {
    return (!f.server_status || to_string(n.server_status) == *f.server_status) &&
           (!f.client_status || to_string(n.client_status) == *f.client_status);
  };
  reply_nodes(std::move(call), std::move(keep), "nodes");
}

void workflow_tree(Call call) { reply_tree(std::move(call), contract::present_tree); }

void workflow_tree_print(Call call) { reply_tree(std::move(call), contract::present_tree_print); }

}  // namespace backbeat::actors::api
