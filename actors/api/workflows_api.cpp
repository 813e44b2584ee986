// /workflows: find-or-create, lookup, read, signal (contract §9.1, §10).
#include "actors/api/fields.hpp"
#include "actors/api/handlers.hpp"
#include "actors/api/node_spec.hpp"
#include "net/json_text.hpp"
#include "net/params.hpp"
#include "runtime/engine/not_found.hpp"

namespace backbeat::actors::api {
namespace {

// A workflow's id is derived from what identifies it (user, name, subject):
// concurrent creates of the same workflow meet in one actor, and a lookup is
// a point read. The namespace is fixed forever; changing it orphans data.
const Uuid kWorkflowNamespace = *Uuid::parse("0d5b7c4e-2f1a-5b8e-9c3d-6a7f8e9b0c1d");

Uuid workflow_id_for(const Uuid& user, const std::string& name, const std::string& subject) {
  return Uuid::from_name(kWorkflowNamespace, user.str() + "\n" + name + "\n" + subject);
}

// `workflow_type` is the original's name for it; `name` works too.
Result<std::string> workflow_name(const Json& params) {
  auto type = opt_string(params, "workflow_type");
  if (!type) return type.error();
  if (*type && !(*type)->empty()) return **type;
  return req_string(params, "name");
}

Error no_workflow_named(const std::string& name) {
  return make_error(Error::Kind::not_found, "ActiveRecord::RecordNotFound",
                    "Couldn't find Backbeat::Workflow with name=" + name);
}

// The subject texts a lookup may mean: the value as sent, and, for a string
// holding JSON (query strings carry nothing else), the JSON it holds, with
// keys normalised as they were at creation (§19: the lookup must work).
std::vector<std::string> subject_candidates(const Json& subject) {
  std::vector<std::string> out{net::dump_json(subject)};
  if (subject.is_string()) {
    auto inner = Json::parse(subject.get<std::string>(), nullptr, false);
    if (!inner.is_discarded()) out.push_back(net::dump_json(net::normalize_keys(inner)));
  }
  return out;
}

// What names a workflow in a create or a lookup.
struct WorkflowKey {
  std::string name;
  std::string decider;
  Json subject;
};

Result<WorkflowKey> workflow_key(const Json& params) {
  auto name = workflow_name(params);
  if (!name) return name.error();
  auto decider = req_string(params, "decider");
  if (!decider) return decider.error();
  if (!has(params, "subject")) return bad_request("subject is required");
  return WorkflowKey{std::move(*name), std::move(*decider), params["subject"]};
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
  const std::string subject = net::dump_json(key->subject);
  const Uuid user = call.me().id;
  const Uuid id = workflow_id_for(user, key->name, subject);
  command(std::move(call), id,
          engine::ev::CreateWorkflow{id, user, key->name, key->decider, subject},
          [](const Call& c, CommandResult& r) {
            c.reply(201, net::present_workflow(std::get<Workflow>(r.reply)));
          });
}

void find_workflow(Call call) {
  auto key = workflow_key(call.params);
  if (!key) return call.fail(key.error());
  for (const std::string& subject : subject_candidates(key->subject)) {
    auto wf = call.svc->store->get_workflow(workflow_id_for(call.me().id, key->name, subject));
    if (!wf) return call.fail(wf.error());
    if (*wf && (*wf)->decider == key->decider) return call.reply(200, net::present_workflow(**wf));
  }
  call.fail(no_workflow_named(key->name));
}

void get_workflow(Call call) {
  auto id = id_from_path(call.params.value("id", ""));
  if (!id) return call.fail(id.error());
  auto wf = owned_workflow(call, *id);
  if (!wf) return call.fail(wf.error());
  call.reply(200, net::present_workflow(*wf));
}

void signal_workflow(Call call) {
  auto id = id_from_path(call.params.value("id", ""));
  if (!id) return call.fail(id.error());
  auto name = req_string(call.params, "name");
  if (!name) return call.fail(name.error());
  auto spec = node_spec(call.params, *name);
  if (!spec) return call.fail(spec.error());
  // A point read keeps unknown ids from spawning actors for nothing.
  if (auto wf = owned_workflow(call, *id); !wf) return call.fail(wf.error());
  const Uuid user = call.me().id;
  command(std::move(call), *id, engine::ev::Signal{*id, user, std::move(*spec)},
          [](const Call& c, CommandResult& r) {
            c.reply(201, net::present_node(std::get<Node>(r.reply), *r.workflow));
          });
}

}  // namespace backbeat::actors::api
