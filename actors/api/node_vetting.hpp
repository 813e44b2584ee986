#pragma once
// What a signal or a decisions request may ask for, checked before anything
// reaches the workflow's actor (docs/security.md): how many nodes one
// request may make (the requester's quota), activity types this server runs
// with input they can use, and links only to nodes the requester may
// involve. client_id and the per-workflow node limit are the engine's to
// judge (engine::TenantPolicy), where the workflow is at hand.
#include <functional>
#include <span>
#include <vector>

#include "actors/api/call.hpp"
#include "engine/events.hpp"

namespace backbeat::actors::api {

// A parent_link_id whose node lives in a partition another member owns.
struct RemoteLink {
  Uuid target;
  Placement placement;
};

// Everything that can be judged here. Links into partitions of other
// members are added to `remote` for confirm_links.
Status vet_new_nodes(const Call& call, std::span<const engine::NodeSpec> specs,
                     std::vector<RemoteLink>* remote);

// Asks the owners of `remote` whose nodes they are, then runs `go` if the
// requester may link to every one (on whatever thread the last answer came);
// otherwise answers 404 for the first it may not, or 503 if an owner cannot
// be asked now. With nothing remote, runs `go` at once.
void confirm_links(Call call, std::vector<RemoteLink> remote, std::function<void(Call)> go);

}  // namespace backbeat::actors::api
