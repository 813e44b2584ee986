#include "net/contract/error_body.hpp"

#include "net/contract/json_text.hpp"
#include "net/contract/params.hpp"

namespace backbeat::contract {

WireError wire_error(Error::Kind kind) {
  using K = Error::Kind;
  switch (kind) {
    case K::bad_request: return {400, "Backbeat::BadRequest"};
    case K::validation: return {400, "Backbeat::ValidationError"};
    case K::malformed_id: return {400, "ActiveRecord::StatementInvalid"};
    case K::duplicate_key: return {400, "Backbeat::DuplicateKey"};
    case K::unknown_status: return {400, "Backbeat::UnknownStatus"};
    case K::page_too_deep: return {400, "Backbeat::PageTooDeep"};
    case K::workflow_complete: return {400, "Backbeat::WorkflowComplete"};
    case K::config: return {400, "Backbeat::ConfigError"};
    case K::usage: return {400, "Backbeat::UsageError"};
    case K::unauthorized: return {401, "Unauthorized"};
    case K::forbidden: return {403, "Backbeat::Forbidden"};
    case K::user_disabled: return {403, "Backbeat::UserDisabled"};
    case K::record_not_found: return {404, "ActiveRecord::RecordNotFound"};
    case K::no_route: return {404, "Backbeat::NotFound"};
    case K::unknown_member: return {404, "Backbeat::UnknownMember"};
    case K::invalid_client_status_change: return {409, "Backbeat::InvalidClientStatusChange"};
    case K::invalid_server_status_change: return {409, "Backbeat::InvalidServerStatusChange"};
    case K::invalid_decisions_state: return {409, "Backbeat::InvalidDecisionsState"};
    case K::workflow_node_quota: return {409, "Backbeat::QuotaExceeded"};
    case K::duplicate_user: return {409, "Backbeat::DuplicateUser"};
    case K::retained: return {409, "Backbeat::Retained"};
    case K::retention_off: return {409, "Backbeat::RetentionOff"};
    case K::not_clustered: return {409, "Backbeat::NotClustered"};
    case K::too_many_nodes: return {413, "Backbeat::TooManyNodes"};
    case K::decision_quota: return {413, "Backbeat::QuotaExceeded"};
    case K::user_quota: return {429, "Backbeat::QuotaExceeded"};
    case K::shutting_down: return {503, "Backbeat::ShuttingDown"};
    case K::overloaded: return {503, "Backbeat::Overloaded"};
    case K::workflow_busy: return {503, "Backbeat::WorkflowBusy"};
    case K::reads_busy: return {503, "Backbeat::ReadsBusy"};
    case K::partition_unavailable: return {503, "Backbeat::PartitionUnavailable"};
    case K::member_unavailable: return {503, "Backbeat::MemberUnavailable"};
    case K::unavailable: return {503, "Backbeat::Unavailable"};
    case K::callback_backlog: return {503, "Backbeat::CallbackBacklog"};
    case K::commit_failed: return {503, "Backbeat::StorageError"};
    case K::timed_out: return {504, "Backbeat::Timeout"};
    case K::internal: return {500, "Backbeat::InternalError"};
    case K::storage: return {500, "Backbeat::StorageError"};
    case K::storage_corruption: return {500, "Backbeat::StorageCorruption"};
    case K::archive_failed: return {500, "Backbeat::ArchiveError"};
    case K::drain_failed: return {500, "Backbeat::DrainFailed"};
    case K::startup: return {500, "Backbeat::StartupError"};
    case K::tls_setup: return {500, "TlsSetupFailed"};
    case K::listen_failed: return {500, "ListenFailed"};
    case K::server_stopped: return {503, "ServerStopped"};
  }
  return {500, "Backbeat::InternalError"};
}

nlohmann::ordered_json error_body(const Error& error) {
  if (error.kind == Error::Kind::unauthorized) return {{"error", "Unauthorized"}};
  nlohmann::ordered_json out = {{"errorClass", wire_error(error.kind).error_class},
                                {"message", error.message}};
  for (const auto& [name, value] : error.details) out[camelize(name)] = value;
  return out;
}

net::HttpResponse error_response(const Error& error) {
  net::HttpResponse r;
  r.status = wire_error(error.kind).status;
  r.body = dump_json(error_body(error));
  if (r.status == 503 || r.status == 429) r.headers.emplace_back("Retry-After", "1");
  return r;
}

std::string transport_error_body(net::TransportError error, std::string_view message) {
  using T = net::TransportError;
  std::string_view error_class = "InternalError";
  switch (error) {
    case T::malformed: error_class = "BadRequest"; break;
    case T::body_too_large: error_class = "PayloadTooLarge"; break;
    case T::headers_too_large: error_class = "RequestHeaderFieldsTooLarge"; break;
    case T::too_many_from_address: error_class = "Backbeat::TooManyConnections"; break;
    case T::too_many_connections: error_class = "Unavailable"; break;
    case T::no_response: error_class = "InternalError"; break;
  }
  return dump_json(nlohmann::ordered_json{{"errorClass", error_class}, {"message", message}});
}

}  // namespace backbeat::contract
