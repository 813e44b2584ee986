// Operator controls and tree reads of one workflow (contract §9.1, §10.3,
// §10.4, §12.3, §12.4): complete, pause, resume, children, nodes, tree.
#include "actors/api/handlers.hpp"
#include "actors/api/inputs.hpp"

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

struct Tree {
  Workflow workflow;
  std::vector<Node> nodes;  // seq order
};

// The workflow named in the path with all its nodes, if it is the caller's.
Result<Tree> load_tree(const Call& call) {
  auto id = id_from_path(call.params.value("id", ""));
  if (!id) return id.error();
  auto wf = owned_workflow(call, *id);
  if (!wf) return wf.error();
  auto nodes = call.svc->store->load_nodes(*id);
  if (!nodes) return nodes.error();
  return Tree{std::move(*wf), std::move(*nodes)};
}

template <class Keep>
void reply_nodes(Call call, Keep keep) {
  auto tree = load_tree(call);
  if (!tree) return call.fail(tree.error());
  net::OrderedJson out = net::OrderedJson::array();
  for (const Node& n : tree->nodes)
    if (keep(n)) out.push_back(net::present_node(n, tree->workflow));
  call.reply(200, out);
}

}  // namespace

void complete_workflow(Call call) { set_flag(std::move(call), engine::ev::WorkflowFlag::complete); }
void pause_workflow(Call call) { set_flag(std::move(call), engine::ev::WorkflowFlag::pause); }
void resume_workflow(Call call) { set_flag(std::move(call), engine::ev::WorkflowFlag::resume); }

void workflow_children(Call call) {
  reply_nodes(std::move(call), [](const Node& n) { return !n.parent_id.has_value(); });
}

void workflow_nodes(Call call) {
  auto filter = node_filter(call.params);
  if (!filter) return call.fail(filter.error());
  // Exact match on the status words; an unknown word simply matches nothing.
  reply_nodes(std::move(call), [f = std::move(*filter)](const Node& n) {
    return (!f.server_status || to_string(n.server_status) == *f.server_status) &&
           (!f.client_status || to_string(n.client_status) == *f.client_status);
  });
}

void workflow_tree(Call call) {
  auto tree = load_tree(call);
  if (!tree) return call.fail(tree.error());
  call.reply(200, net::present_tree(tree->workflow, tree->nodes));
}

void workflow_tree_print(Call call) {
  auto tree = load_tree(call);
  if (!tree) return call.fail(tree.error());
  call.reply(200, net::present_tree_print(tree->workflow, tree->nodes));
}

}  // namespace backbeat::actors::api
