#include "actors/api/node_spec.hpp"

#include "actors/api/call.hpp"
#include "net/contract/json_text.hpp"
#include "engine/engine.hpp"

namespace backbeat::actors::api {
namespace {

// Assigns a parsed optional field or returns its error from the caller.
#define BB_TRY_ASSIGN(target, expr) \
  do {                              \
    auto r_ = (expr);               \
    if (!r_) return r_.error();     \
    target = std::move(*r_);        \
  } while (0)

Result<std::string> json_object_text(const Json& source, std::string_view key) {
  if (!has(source, key)) return std::string("{}");
  const Json& v = source[std::string(key)];
  if (!v.is_object()) return bad_request(std::string(key) + " must be an object");
  return contract::dump_json(v);
}

// client_data["timeout"] is the one key of client_data the server reads
// (docs/contract.md §4.8).
Result<std::optional<int64_t>> timeout_of(const Json& source) {
  if (!has(source, "client_data")) return std::optional<int64_t>{};
  return opt_int(source["client_data"], "timeout");
}

}  // namespace

Result<engine::NodeSpec> node_spec(const Json& params, std::string name) {
  engine::NodeSpec spec;
  spec.name = std::move(name);
  if (spec.name.empty()) return bad_request("name is required");
  BB_TRY_ASSIGN(spec.type, opt_string(params, "type"));
  std::optional<std::string> mode;
  BB_TRY_ASSIGN(mode, opt_string(params, "mode"));
  if (mode) {
    spec.mode = parse_mode(*mode);
    if (!spec.mode) return bad_request("mode must be blocking, non_blocking or fire_and_forget");
  }
  BB_TRY_ASSIGN(spec.fires_at, opt_time(params, "fires_at"));
  std::optional<int64_t> retries, interval;
  BB_TRY_ASSIGN(retries, opt_int(params, "retry"));
  BB_TRY_ASSIGN(interval, opt_int(params, "retry_interval"));
  if (retries && (*retries < 0 || *retries > 1000)) return bad_request("retry must be 0..1000");
  if (interval && *interval < 0) return bad_request("retry_interval must be >= 0");
  if (retries) spec.retries = int32_t(*retries);
  spec.retry_interval_s = interval;
  BB_TRY_ASSIGN(spec.client_id, opt_uuid(params, "client_id"));

  std::optional<std::string> server, client;
  BB_TRY_ASSIGN(server, opt_string(params, "current_server_status"));
  BB_TRY_ASSIGN(client, opt_string(params, "current_client_status"));
  if (server && !(spec.server_status = parse_server_status(*server)))
    return bad_request("current_server_status is not a status: " + *server);
  if (client && !(spec.client_status = parse_client_status(*client)))
    return bad_request("current_client_status is not a status: " + *client);

  const Json& source = has(params, "options") ? params["options"] : params;
  if (!source.is_object()) return bad_request("options must be an object");
  BB_TRY_ASSIGN(spec.client_data, json_object_text(source, "client_data"));
  BB_TRY_ASSIGN(spec.timeout_s, timeout_of(source));
  // Ten years; beyond, milliseconds since the epoch would overflow.
  if (spec.timeout_s && (*spec.timeout_s < 0 || *spec.timeout_s > 315360000))
    return bad_request("client_data.timeout must be 0..315360000 seconds");
  if (interval && *interval > 315360000) return bad_request("retry_interval is too large");
  if (has(source, "metadata")) spec.metadata = contract::dump_json(source["metadata"]);
  BB_TRY_ASSIGN(spec.parent_link_id, opt_uuid(source, "parent_link_id"));
  // Beside `type`, or in `options` where a client library only passes those on.
  BB_TRY_ASSIGN(spec.activity_type, opt_string(params, "activity_type"));
  if (!spec.activity_type && &source != &params)
    BB_TRY_ASSIGN(spec.activity_type, opt_string(source, "activity_type"));
  if (spec.activity_type && !engine::valid_activity_type(*spec.activity_type))
    return bad_request("activity_type must be 1-64 characters of a-z, 0-9, '_', '-' and '.'");
  return spec;
}

#undef BB_TRY_ASSIGN

Status known_activity_types(std::span<const engine::NodeSpec> specs,
                            const activity::Catalog& catalog) {
  for (size_t i = 0; i < specs.size(); ++i) {
    const auto& type = specs[i].activity_type;
    if (!type || catalog.find(*type)) continue;
    std::string known;
    for (const std::string& name : catalog.names()) known += (known.empty() ? "" : ", ") + name;
    const std::string where = specs.size() > 1 ? "decisions[" + std::to_string(i) + "]: " : "";
    return bad_request(where + "unknown activity_type '" + *type + "'; this server runs: " + known);
  }
  return ok_status();
}

}  // namespace backbeat::actors::api
