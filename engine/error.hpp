#pragma once
// What went wrong, as a value. The kind says exactly what happened, in
// Backbeat's terms only: how a kind is shown to a client (the HTTP status,
// the `Backbeat::…` class name, the JSON body) is the wire contract's
// business, decided once in net/contract/error_body.cpp, so the rules and the
// store never speak HTTP.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace backbeat {

struct Error {
  enum class Kind {
    // The request is wrong; sending it again unchanged fails again.
    bad_request,                   // malformed or missing input
    validation,                    // well formed, but a rule refuses its values
    malformed_id,                  // an id in the path that is no UUID
    duplicate_key,                 // a JSON object names a key twice
    unknown_status,                // a status change the API has no word for
    page_too_deep,                 // offset paging past the depth limit; use last_id
    workflow_complete,             // new work for a finished workflow
    config,                        // the operator's configuration (start-up, certs)
    usage,                         // a command line the CLI cannot run
    unauthorized,                  // no credentials, or wrong ones
    forbidden,                     // authenticated, but a grant is missing
    user_disabled,                 // the right credentials of a disabled user
    record_not_found,              // no such workflow or node (or not the caller's)
    no_route,                      // no such endpoint
    unknown_member,                // no such cluster member
    invalid_client_status_change,  // details: current_status, attempted_status
    invalid_server_status_change,  // details: current_status, attempted_status
    invalid_decisions_state,       // decisions for a node done with its client
    workflow_node_quota,           // the workflow holds as many nodes as it may
    duplicate_user,
    retained,                      // retention keeps the workflow; not purged
    retention_off,
    not_clustered,
    too_many_nodes,                // a listing past its cap; page it instead
    decision_quota,                // more decisions in one request than allowed
    // Not now: the same request may succeed later.
    user_quota,                    // this user's share is in use
    shutting_down,
    overloaded,                    // this node has too much in flight
    workflow_busy,                 // ... or this workflow has
    reads_busy,                    // this user's reads are queued to the limit
    partition_unavailable,         // moving, or owned by a member out of reach
    member_unavailable,
    unavailable,                   // an actor did not answer; nothing more is known
    callback_backlog,              // the endpoint that would receive the work is backed up
    commit_failed,                 // the write did not become durable; state reloads from disk
    timed_out,                     // no answer in time; the change may or may not be applied
    // The service failed; never the client's fault.
    internal,                      // a bug, or a machine failure (entropy, a thrown exception)
    storage,                       // the disk or the database failed
    storage_corruption,            // what is on disk cannot be decoded
    archive_failed,
    drain_failed,
    startup,                       // the process cannot start as configured
    tls_setup,
    listen_failed,
    server_stopped,
  };
  Kind kind = Kind::internal;
  std::string message;
  // What a client may act on beyond the message, as snake_case names and
  // values (the contract decides how they are written).
  std::vector<std::pair<std::string, std::string>> details;

  std::string_view detail(std::string_view name) const {
    for (const auto& [k, v] : details)
      if (k == name) return v;
    return {};
  }
};

inline Error make_error(Error::Kind kind, std::string message) {
  return Error{kind, std::move(message), {}};
}

// Whether the same request, sent again unchanged, may succeed: the failure
// was the moment's or the service's, not the request's.
constexpr bool transient(Error::Kind kind) {
  return kind >= Error::Kind::user_quota;
}

}  // namespace backbeat
