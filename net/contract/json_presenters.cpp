#include "net/contract/json_presenters.hpp"

#include "net/contract/iso_time.hpp"
#include "net/contract/json_text.hpp"

namespace backbeat::contract {
namespace {

OrderedJson nullable(const std::string& s) { return s.empty() ? OrderedJson() : OrderedJson(s); }

// docs/contract.md §8.3's E: only an object travels as is; the Ruby presenter
// matched on Hash/String and fell through to {} for everything else.
OrderedJson notification_error(const nlohmann::json& error) {
  if (error.is_object()) return OrderedJson(error);
  if (error.is_string()) return OrderedJson{{"message", error.get<std::string>()}};
  return OrderedJson::object();
}

}  // namespace

OrderedJson present_workflow(const Workflow& wf) {
  return {{"id", wf.id.str()},
          {"name", wf.name},
          {"subject", parse_stored_json(wf.subject)},
          {"decider", wf.decider},
          {"userId", wf.user_id.str()},
          {"createdAt", format_iso8601_ms(wf.created_at)},
          {"updatedAt", format_iso8601_ms(wf.updated_at)},
          {"complete", wf.complete},
          {"paused", wf.paused}};
}

OrderedJson present_node(const Node& node, const Workflow& wf) {
  OrderedJson out{{"id", node.id.str()},
          {"mode", to_string(node.mode)},
          {"name", node.name},
          {"workflowId", node.workflow_id.str()},
          {"parentId", node.parent_id ? OrderedJson(node.parent_id->str()) : OrderedJson()},
          {"userId", node.user_id.str()},
          {"clientData", parse_stored_json(node.client_data)},
          {"metadata", parse_stored_json(node.metadata)},
          {"subject", parse_stored_json(wf.subject)},
          {"decider", wf.decider},
          {"workflowName", wf.name},
          {"currentServerStatus", to_string(node.server_status)},
          {"currentClientStatus", to_string(node.client_status)},
          {"createdAt", format_iso8601_ms(node.created_at)}};
  // Only where used, so nodes of existing clients read byte for byte as before.
  if (node.runs_in_engine()) out["activityType"] = node.activity_type;
  return out;
}

OrderedJson present_status_change(const StatusChange& sc) {
  return {{"nodeId", sc.node_id.str()},
          {"fromStatus", sc.from_status},
          {"toStatus", sc.to_status},
          {"statusType", sc.type == StatusType::server ? "current_server_status"
                                                       : "current_client_status"},
          {"response", parse_stored_json(sc.response)},
          {"createdAt", format_iso8601_ms(sc.created_at)}};
}

OrderedJson present_user(const User& user, std::optional<std::string_view> token) {
  OrderedJson out = {{"id", user.id.str()},
                     {"name", user.name},
                     {"decisionEndpoint", nullable(user.decision_endpoint)},
                     {"activityEndpoint", nullable(user.activity_endpoint)},
                     {"notificationEndpoint", nullable(user.notification_endpoint)}};
  if (user.disabled) out["disabled"] = true;
  if (token) out["authToken"] = std::string(*token);
  return out;
}

OrderedJson callback_body(const Node& node, const Workflow& wf, bool as_decision) {
  return {{node.is_decision() && as_decision ? "decision" : "activity", present_node(node, wf)}};
}

OrderedJson notification_body(const Node& node, const Workflow& wf, std::string_view message,
                              const nlohmann::json& error) {
  return {{"activity", present_node(node, wf)},
          {"notification", {{"name", node.name}, {"message", message}}},
          {"error", notification_error(error)}};
}

}  // namespace backbeat::contract
