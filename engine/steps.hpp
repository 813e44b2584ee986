#pragma once
// The building blocks events are made of (docs/contract.md §6), shared by the
// event handlers. Each returns an error without side effects on the Txn's state
// beyond what it already wrote; the caller's Txn is discarded on error.
#include <optional>
#include <string>
#include <string_view>

#include "engine/not_found.hpp"
#include "engine/txn.hpp"

namespace backbeat::engine {

std::string json_quote(std::string_view s);  // s as a JSON string literal

// Sets complete_by from the node's own timeout or the configured default.
void touch_deadline(Txn& t, const Uuid& id);

// Children of a node that just finished with the client become ready, then
// the node's children are scheduled.
Status mark_children_ready(Txn& t, const Uuid& id);
Status client_complete(Txn& t, const Uuid& id, std::string_view response);
Status client_resolved(Txn& t, const Uuid& id, std::string_view response);
Status client_shutdown(Txn& t, const Uuid& id, std::string_view response);
// A client-side failure: retry with back-off, or exhaust and notify.
Status client_error(Txn& t, const Uuid& id, std::string_view response, std::string error);
Status cancel_node(Txn& t, const Uuid& id);
Status deactivate_previous(Txn& t, const Uuid& id);
Status reset_node(Txn& t, const Uuid& id);  // descendants only
Status retry_node(Txn& t, const Uuid& id);  // ready again, then the parent's walk
Status server_error(Txn& t, const Uuid& id, std::string_view message);

// Follow-up jobs.
Status schedule_next(Txn& t, const std::optional<Uuid>& parent);
Status start_node(Txn& t, const Uuid& id);
Status node_complete(Txn& t, const Uuid& id);

}  // namespace backbeat::engine
