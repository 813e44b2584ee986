#include "tests/fuzz/endpoint_inputs.hpp"

#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

#include "actors/api/fields.hpp"
#include "actors/api/handlers.hpp"
#include "actors/api/inputs.hpp"
#include "actors/api/search_api.hpp"
#include "net/contract/error_body.hpp"
#include "net/contract/json_presenters.hpp"
#include "net/contract/json_text.hpp"

namespace backbeat::fuzz {
namespace {

using actors::api::Call;
using actors::api::Route;
using nlohmann::json;
namespace api = actors::api;

// What is done with a decoded value afterwards, as far as it goes without a
// store: the text is stored and later presented, so present it.
void present_stored(const std::string& text) { (void)contract::dump_json(contract::parse_stored_json(text)); }

void use(const engine::NodeSpec& spec) {
  present_stored(spec.client_data);
  present_stored(spec.metadata);
}

// The id a handler takes from the path (params["id"] is the route's).
Status path_id(const json& params) {
  auto text = api::opt_string(params, "id");
  if (!text) return text.error();
  auto id = api::id_from_path(text->value_or(""));
  if (!id) return id.error();
  return ok_status();
}

Status workflow_key(const json& params) {
  auto key = api::workflow_key(params);
  if (!key) return key.error();
  for (const std::string& subject : api::lookup_subjects(key->subject)) present_stored(subject);
  return ok_status();
}

Status signal(const json& params) {
  if (auto id = path_id(params); !id) return id;
  auto spec = api::signal_input(params);
  if (!spec) return spec.error();
  use(*spec);
  return ok_status();
}

Status decisions(const json& params) {
  auto specs = api::decisions_input(params);  // before the node, as the handler does
  if (!specs) return specs.error();
  for (const auto& spec : *specs) use(spec);
  return path_id(params);
}

Status status_report(const json& params) {
  auto report = api::status_report(params);  // before the node, as the handler does
  if (!report) return report.error();
  if (report->response) present_stored(*report->response);
  if (report->error) present_stored(*report->error);
  return path_id(params);
}

Status new_user(const json& params) {
  auto user = api::new_user_input(params);
  if (!user) return user.error();
  return ok_status();
}

Status drain(const json& params) {
  auto on = api::drain_input(params);
  if (!on) return on.error();
  return ok_status();
}

Status rotate_token(const json& params) {
  if (auto id = path_id(params); !id) return id;
  auto token = api::chosen_token(params);
  if (!token) return token.error();
  return ok_status();
}

Status disabled(const json& params) {
  if (auto id = path_id(params); !id) return id;
  auto on = api::disabled_input(params);
  if (!on) return on.error();
  return ok_status();
}

// Both users of PUT|DELETE /users/:id/grants/:other.
Status grant(const json& params) {
  if (auto id = path_id(params); !id) return id;
  auto other = api::id_from_path(params.value("other", ""));
  if (!other) return other.error();
  return ok_status();
}

Status node_filter(const json& params) {
  if (auto id = path_id(params); !id) return id;
  auto filter = api::node_filter(params);
  if (!filter) return filter.error();
  return ok_status();
}

template <const char* kTextKey>
Status search(const json& params) {
  auto q = api::search_query(params, kTextKey);
  if (!q) return q.error();
  return ok_status();
}
constexpr char kSubject[] = "subject";
constexpr char kMetadata[] = "metadata";

Status nothing(const json&) { return ok_status(); }

using Decoder = Status (*)(const json&);
using Handler = void (*)(Call);

const std::vector<std::pair<Handler, Decoder>>& decoders() {
  static const std::vector<std::pair<Handler, Decoder>> table = {
      {api::create_user, new_user},
      {api::list_users, nothing},
      {api::get_user, path_id},
      {api::rotate_token, rotate_token},
      {api::set_disabled, disabled},
      {api::list_grants, path_id},
      {api::set_grant, grant},
      {api::find_or_create_workflow, workflow_key},
      {api::find_workflow, workflow_key},
      {api::search_workflows, search<kSubject>},
      {api::workflow_names, nothing},
      {api::search_activities, search<kMetadata>},
      {api::error_workflows, nothing},
      {api::get_workflow, path_id},
      {api::signal_workflow, signal},
      {api::complete_workflow, path_id},
      {api::pause_workflow, path_id},
      {api::resume_workflow, path_id},
      {api::workflow_children, path_id},
      {api::workflow_nodes, node_filter},
      {api::workflow_tree, path_id},
      {api::workflow_tree_print, path_id},
      {api::add_decisions, decisions},
      {api::update_status, status_report},
      {api::get_activity, path_id},
      {api::get_status_changes, path_id},
      {api::get_errors, path_id},
      {api::get_response, path_id},
      {api::restart_activity, path_id},
      {api::reset_activity, path_id},
      {api::schedule_activity, path_id},
      {api::get_drain, nothing},
      {api::set_drain, drain},
      {api::errored_report, nothing},
      {api::get_retention, nothing},
      {api::sweep_retention, nothing},
      {api::cluster_status, nothing},
      // The member is a name placed by the cluster's routing, never decoded.
      {api::drain_member, nothing},
      {api::undrain_member, nothing},
      {api::health, nothing},
      {api::metrics, nothing},
      {api::heartbeat, nothing},
      {api::node_owner, path_id},
  };
  return table;
}

Decoder decoder_of(Handler handler) {
  for (const auto& [h, d] : decoders())
    if (h == handler) return d;
  return nullptr;
}

}  // namespace

void require_every_route_covered() {
  for (const Route& r : api::routes()) {
    if (decoder_of(r.handler)) continue;
    std::fprintf(stderr, "fuzz: no decoder for route %.*s %.*s in tests/fuzz/endpoint_inputs.cpp\n",
                 int(r.method.size()), r.method.data(), int(r.pattern.size()), r.pattern.data());
    std::abort();
  }
}

Status decode_for_route(const Route& route, const json& params) {
  return decoder_of(route.handler)(params);
}

void decode_for_every_route(const json& params) {
  for (const auto& [handler, decode] : decoders()) {
    Status s = decode(params);
    if (!s) (void)contract::dump_json(contract::error_body(s.error()));
  }
}

}  // namespace backbeat::fuzz
