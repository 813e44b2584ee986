// /workflows: find-or-create, lookup, read, signal
// (docs/contract.md §9.1, §10).
#include "actors/api/handlers.hpp"
#include "actors/api/inputs.hpp"
#include "actors/api/node_spec.hpp"
#include "actors/api/node_vetting.hpp"
#include "actors/api/workflow_identity.hpp"
#include "net/contract/json_text.hpp"
#include "engine/not_found.hpp"

namespace backbeat::actors::api {
namespace {

Error no_workflow_named(const std::string& name) {
  return make_error(Error::Kind::record_not_found,
                    "Couldn't find Backbeat::Workflow with name=" + name);
}

}  // namespace

Result<Workflow> owned_workflow(const Call& call, const Uuid& id) {
  auto wf = call.svc->store->get_workflow(id);
  if (!wf) return wf.error();
  if (!*wf || (*wf)->user_id != call.me().id) return engine::workflow_not_found(id);
  return **wf;
}

void find_or_create_workflow(Call call) {
  auto key = workflow_key(call.params);
  if (!key) return call.fail(key.error());
  const Uuid user = call.me().id;
  auto [id, subject] = created_workflow(user, *key);
  command(std::move(call), id,
          engine::ev::CreateWorkflow{id, user, key->name, key->decider, std::move(subject)},
          [](const Call& c, CommandResult& r) {
            c.reply(201, contract::present_workflow(std::get<Workflow>(r.reply)));
          });
}

void find_workflow(Call call) {
  auto key = workflow_key(call.params);
  if (!key) return call.fail(key.error());
  for (const Uuid& id : looked_up_workflows(call.me().id, *key)) {
    auto wf = call.svc->store->get_workflow(id);
    if (!wf) return call.fail(wf.error());
    if (*wf && (*wf)->decider == key->decider) return call.reply(200, contract::present_workflow(**wf));
  }
  call.fail(no_workflow_named(key->name));
}

void get_workflow(Call call) {
  auto id = id_from_path(call.params.value("id", ""));
  if (!id) return call.fail(id.error());
  auto wf = owned_workflow(call, *id);
  if (!wf) return call.fail(wf.error());
  call.reply(200, contract::present_workflow(*wf));
}

void signal_workflow(Call call) {
  auto id = id_from_path(call.params.value("id", ""));
  if (!id) return call.fail(id.error());
  auto spec = signal_input(call.params);
  if (!spec) return call.fail(spec.error());
  std::vector<RemoteLink> remote;
  if (auto s = vet_new_nodes(call, {&*spec, 1}, &remote); !s) return call.fail(s.error());
  // A point read keeps unknown ids from spawning actors for nothing.
  if (auto wf = owned_workflow(call, *id); !wf) return call.fail(wf.error());
  engine::ev::Signal event{*id, call.me().id, std::move(*spec)};
  confirm_links(std::move(call), std::move(remote), [event = std::move(event)](Call c) mutable {
    const Uuid wf = event.workflow_id;
    command(std::move(c), wf, std::move(event), [](const Call& c, CommandResult& r) {
      c.reply(201, contract::present_node(std::get<Node>(r.reply), *r.workflow));
    });
  });
}

}  // namespace backbeat::actors::api
