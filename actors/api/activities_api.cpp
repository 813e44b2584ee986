// /activities (alias /v2/events): decisions, status reports, reads
// (docs/contract.md §9.2, §8.2).
#include <optional>

#include "actors/api/handlers.hpp"
#include "actors/api/inputs.hpp"
#include "actors/api/node_spec.hpp"
#include "actors/api/node_vetting.hpp"
#include "net/contract/json_text.hpp"
#include "engine/not_found.hpp"

namespace backbeat::actors::api {
namespace {

using engine::node_not_found;

// The node named in the path, if it belongs to the caller (and to the
// workflow named by an optional workflow_id parameter).
Result<storage::NodeLocation> locate(const Call& call, Uuid* node_id) {
  auto id = id_from_path(call.params.value("id", ""));
  if (!id) return id.error();
  *node_id = *id;
  auto loc = call.svc->store->find_node(*id);
  if (!loc) return loc.error();
  if (!*loc || (*loc)->user_id != call.me().id) return node_not_found(*id);
  auto wf = opt_uuid(call.params, "workflow_id");
  if (!wf) return wf.error();
  if (*wf && **wf != (*loc)->workflow_id) return node_not_found(*id);
  return **loc;
}

struct Loaded {
  Node node;
  Workflow workflow;
};

// Reads straight from the store, which holds only what is durable.
Result<Loaded> load(const Call& call, Uuid* node_id) {
  auto loc = locate(call, node_id);
  if (!loc) return loc.error();
  auto wf = call.svc->store->get_workflow(loc->workflow_id);
  if (!wf) return wf.error();
  auto node = call.svc->store->get_node(loc->workflow_id, *node_id);
  if (!node) return node.error();
  if (!*wf || !*node) return node_not_found(*node_id);
  return Loaded{std::move(**node), std::move(**wf)};
}

void reply_success(const Call& c, CommandResult&) { c.reply(200, {{"success", true}}); }

// Status change lists, filtered.
template <class Keep>
void reply_changes(Call call, Keep keep) {
  Uuid id;
  auto loc = locate(call, &id);
  if (!loc) return call.fail(loc.error());
  auto changes = call.svc->store->status_changes(loc->workflow_id, id);
  if (!changes) return call.fail(changes.error());
  contract::OrderedJson out = contract::OrderedJson::array();
  for (const StatusChange& sc : *changes)
    if (keep(sc)) out.push_back(contract::present_status_change(sc));
  call.reply(200, out);
}

}  // namespace

void add_decisions(Call call) {
  // Checked before the node, as the original does.
  auto decisions = decisions_input(call.params);
  if (!decisions) return call.fail(decisions.error());
  std::vector<RemoteLink> remote;
  if (auto s = vet_new_nodes(call, *decisions, &remote); !s) return call.fail(s.error());
  engine::ev::AddDecisions event;
  event.decisions = std::move(*decisions);
  auto loc = locate(call, &event.node_id);
  if (!loc) return call.fail(loc.error());
  event.user_id = call.me().id;
  confirm_links(std::move(call), std::move(remote),
                [wf = loc->workflow_id, event = std::move(event)](Call c) mutable {
                  command(std::move(c), wf, std::move(event), [](const Call& c, CommandResult& r) {
                    contract::OrderedJson ids = contract::OrderedJson::array();
                    for (const Uuid& id : std::get<std::vector<Uuid>>(r.reply)) ids.push_back(id.str());
                    c.reply(201, ids);
                  });
                });
}

void update_status(Call call) {
  auto report = status_report(call.params);
  if (!report) return call.fail(report.error());
  engine::ev::ClientStatusUpdate event;
  auto loc = locate(call, &event.node_id);
  if (!loc) return call.fail(loc.error());
  event.user_id = call.me().id;
  event.word = report->word;
  if (report->response) event.response = std::move(*report->response);
  if (report->error) event.error = std::move(*report->error);
  command(std::move(call), loc->workflow_id, std::move(event), reply_success);
}

namespace {

// restart, reset, schedule: one engine event each, answered with success.
template <class Event>
void node_control(Call call) {
  Event event{call.me().id, {}};
  auto loc = locate(call, &event.node_id);
  if (!loc) return call.fail(loc.error());
  command(std::move(call), loc->workflow_id, std::move(event), reply_success);
}

}  // namespace

void restart_activity(Call call) { node_control<engine::ev::Restart>(std::move(call)); }
void reset_activity(Call call) { node_control<engine::ev::Reset>(std::move(call)); }
void schedule_activity(Call call) { node_control<engine::ev::ScheduleNode>(std::move(call)); }

void get_activity(Call call) {
  Uuid id;
  auto loaded = load(call, &id);
  if (!loaded) return call.fail(loaded.error());
  call.reply(200, contract::present_node(loaded->node, loaded->workflow));
}

void get_status_changes(Call call) {
  reply_changes(std::move(call), [](const StatusChange&) { return true; });
}

void get_errors(Call call) {
  reply_changes(std::move(call), [](const StatusChange& sc) { return sc.to_status == "errored"; });
}

void get_response(Call call) {
  Uuid id;
  auto loc = locate(call, &id);
  if (!loc) return call.fail(loc.error());
  auto changes = call.svc->store->status_changes(loc->workflow_id, id);
  if (!changes) return call.fail(changes.error());
  // The response of the latest client-status change; null if there is none.
  for (auto it = changes->rbegin(); it != changes->rend(); ++it)
    if (it->type == StatusType::client) return call.reply(200, contract::parse_stored_json(it->response));
  call.reply(200, nullptr);
}

}  // namespace backbeat::actors::api
