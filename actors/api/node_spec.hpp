#pragma once
// A signal's or a decision element's parameters as the engine's NodeSpec
// (docs/contract.md §9.1 signal row, §9.2 decision element table).
#include <span>

#include "actors/activity/catalog.hpp"
#include "actors/api/fields.hpp"
#include "engine/events.hpp"

namespace backbeat::actors::api {

// name, type, mode, fires_at, retry, retry_interval, client_id, statuses;
// client_data, metadata and parent_link_id from `options` when present.
Result<engine::NodeSpec> node_spec(const Json& params, std::string name);

// A 400 for an activity_type this server has no activity for, so a typo
// fails the POST that carries it, not the node hours later.
Status known_activity_types(std::span<const engine::NodeSpec> specs,
                            const activity::Catalog& catalog);

}  // namespace backbeat::actors::api
