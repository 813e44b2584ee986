#pragma once
// What a signal or a decisions request may ask for, checked before anything
// reaches the workflow's actor (docs/security.md): how many nodes one
// request may make (the requester's quota), activity types this server runs
// with input they can use, and links only to nodes the requester may
// involve. client_id and the per-workflow node limit are the engine's to
// judge (engine::TenantPolicy), where the workflow is at hand.
#include <span>

#include "actors/api/call.hpp"
#include "runtime/engine/events.hpp"

namespace backbeat::actors::api {

Status vet_new_nodes(const Call& call, std::span<const engine::NodeSpec> specs);

}  // namespace backbeat::actors::api
