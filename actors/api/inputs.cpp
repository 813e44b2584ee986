#include "actors/api/inputs.hpp"

#include "actors/api/call.hpp"
#include "actors/api/node_spec.hpp"
#include "net/contract/json_text.hpp"
#include "net/contract/params.hpp"

namespace backbeat::actors::api {
namespace {

using engine::ev::StatusWord;

// `workflow_type` is the original's name for it; `name` works too.
Result<std::string> workflow_name(const Json& params) {
  auto type = opt_string(params, "workflow_type");
  if (!type) return type.error();
  if (*type && !(*type)->empty()) return **type;
  return req_string(params, "name");
}

std::optional<StatusWord> status_word(const std::string& s) {
  if (s == "processing" || s == "deciding") return StatusWord::processing;
  if (s == "completed" || s == "deciding_complete") return StatusWord::completed;
  if (s == "errored") return StatusWord::errored;
  if (s == "resolved") return StatusWord::resolved;
  if (s == "shutdown") return StatusWord::shutdown;
  if (s == "canceled") return StatusWord::canceled;
  if (s == "deactivated") return StatusWord::deactivated;
  return std::nullopt;
}

Result<std::string> endpoint(const Json& params, std::string_view key, bool required) {
  auto url = opt_string(params, key);
  if (!url) return url.error();
  if (!*url || (*url)->empty()) {
    if (required) return bad_request(std::string(key) + " is required");
    return std::string();
  }
  const std::string& u = **url;
  if (u.rfind("http://", 0) != 0 && u.rfind("https://", 0) != 0)
    return bad_request(std::string(key) + " must be an http:// or https:// URL");
  return u;
}

}  // namespace

Result<WorkflowKey> workflow_key(const Json& params) {
  auto name = workflow_name(params);
  if (!name) return name.error();
  auto decider = req_string(params, "decider");
  if (!decider) return decider.error();
  if (!has(params, "subject")) return bad_request("subject is required");
  return WorkflowKey{std::move(*name), std::move(*decider), params["subject"]};
}

std::vector<std::string> lookup_subjects(const Json& subject) {
  std::vector<std::string> out{contract::dump_json(subject)};
  if (subject.is_string()) {
    // Depth-limited like a JSON body: a form value of a million '[' must not
    // recurse through normalize_keys and dump until the stack runs out.
    auto inner = contract::parse_json_text(subject.get<std::string>(), "subject");
    if (inner) out.push_back(contract::dump_json(contract::normalize_keys(*inner)));
  }
  return out;
}

Result<engine::NodeSpec> signal_input(const Json& params) {
  auto name = req_string(params, "name");
  if (!name) return name.error();
  return node_spec(params, *name);
}

Result<std::vector<engine::NodeSpec>> decisions_input(const Json& params) {
  const Json* list = nullptr;
  if (has(params, "decisions"))
    list = &params["decisions"];
  else if (has(params, "args") && params["args"].is_object() && has(params["args"], "decisions"))
    list = &params["args"]["decisions"];
  if (!list || !list->is_array()) return bad_request("Params must include a 'decisions' param");
  std::vector<engine::NodeSpec> specs;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string where = "decisions[" + std::to_string(i) + "]";
    const Json& d = (*list)[i];
    if (!d.is_object()) return bad_request(where + " must be an object");
    auto name = req_string(d, "name");
    if (!name) return bad_request(where + ": " + name.error().message);
    auto spec = node_spec(d, *name);
    if (!spec) return bad_request(where + ": " + spec.error().message);
    specs.push_back(std::move(*spec));
  }
  return specs;
}

Result<StatusReport> status_report(const Json& params) {
  auto status = opt_string(params, "status");  // a route parameter: always a string
  if (!status) return status.error();
  const std::string word_text = status->value_or("");
  auto word = status_word(word_text);
  if (!word) return make_error(Error::Kind::unknown_status, "Unknown status change " + word_text);
  const Json* response = has(params, "response") ? &params["response"]
                         : has(params, "args")   ? &params["args"]
                                                 : nullptr;
  if (response && (*word == StatusWord::canceled || *word == StatusWord::deactivated))
    return bad_request("response is not accepted with status " + word_text);
  StatusReport report{*word, std::nullopt, std::nullopt};
  if (response) {
    report.response = contract::dump_json(*response);
    if (response->is_object() && response->contains("error"))
      report.error = contract::dump_json((*response)["error"]);
  }
  return report;
}

Result<std::optional<std::string>> chosen_token(const Json& params) {
  auto token = opt_string(params, "auth_token");
  if (!token) return token.error();
  // An empty token would let anyone with the id in (bearer_token("") == "").
  if (*token && (*token)->size() < 16)
    return bad_request("auth_token must be at least 16 characters");
  return std::move(*token);
}

Result<bool> disabled_input(const Json& params) {
  if (!has(params, "disabled")) return true;
  if (!params["disabled"].is_boolean()) return bad_request("disabled must be true or false");
  return params["disabled"].get<bool>();
}

Result<NewUser> new_user_input(const Json& params) {
  auto name = req_string(params, "name");
  if (!name) return name.error();
  auto activity = endpoint(params, "activity_endpoint", true);
  if (!activity) return activity.error();
  auto decision = endpoint(params, "decision_endpoint", false);
  if (!decision) return decision.error();
  auto notification = endpoint(params, "notification_endpoint", false);
  if (!notification) return notification.error();
  auto token = chosen_token(params);
  if (!token) return token.error();
  return NewUser{std::move(*name), std::move(*activity), std::move(*decision),
                 std::move(*notification), std::move(*token)};
}

Result<bool> drain_input(const Json& params) {
  if (!has(params, "draining") || !params["draining"].is_boolean())
    return bad_request("draining must be true or false");
  return params["draining"].get<bool>();
}

Result<std::optional<size_t>> per_page_input(const Json& params) {
  auto per_page = opt_int(params, "per_page");
  if (!per_page) return per_page.error();
  if (!*per_page) return std::optional<size_t>();
  if (**per_page < 1 || **per_page > kMaxPerPage)
    return bad_request("per_page must be between 1 and " + std::to_string(kMaxPerPage));
  return std::optional<size_t>(size_t(**per_page));
}

Result<std::optional<NodePaging>> node_paging(const Json& params) {
  auto per_page = per_page_input(params);
  if (!per_page) return per_page.error();
  auto last_id = opt_uuid(params, "last_id");
  if (!last_id) return last_id.error();
  if (!*per_page && !*last_id) return std::optional<NodePaging>();
  NodePaging paging;
  if (*per_page) paging.per_page = **per_page;
  paging.last_id = *last_id;
  return std::optional<NodePaging>(paging);
}

Result<NodeFilter> node_filter(const Json& params) {
  auto server = opt_string(params, "current_server_status");
  if (!server) return server.error();
  auto client = opt_string(params, "current_client_status");
  if (!client) return client.error();
  return NodeFilter{std::move(*server), std::move(*client)};
}

}  // namespace backbeat::actors::api
