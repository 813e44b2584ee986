#pragma once
// Where a request runs in a cluster (docs/cluster.md, "Routing"): here, on
// the member that owns its data (forwarded, at most one hop), on every
// member (gathered and merged), or nowhere for now: a 503 with Retry-After
// while the owner is down or the partition moves. Api::handle calls it in
// place of the route's handler when the node is a cluster member.
#include <optional>
#include <string>
#include <vector>

#include "actors/api/call.hpp"
#include "actors/api/routing.hpp"
#include "storage/search.hpp"

namespace backbeat::actors::api {

// Runs a matched, authenticated request where it belongs.
void run_in_cluster(Call call, const Route& route);

// The owner of each partition in this member's map, by partition: the
// members a gathered request must hear from.
std::vector<std::string> partition_owners(const ClusterLink& link);

// The partition of a node's workflow: stamped in the ids of nodes made in a
// cluster; for older ids (version 4), found in this member's store, and
// nullopt when this member does not have the node (ask every member).
Result<std::optional<uint32_t>> partition_of_node(const Services& svc, const Uuid& node);

// The workflows this member's listings show: on a cluster member, those of
// the partitions it owns as of now, so a copy arriving in a move or left
// behind by one is listed by its owner alone; on a single node, every one
// (no filter).
storage::WorkflowVisible listed_here(const Call& call);

// The 503 for a partition that cannot be served now.
Error partition_unavailable(const Placement& placement);

// Asks every member for something only one of them has and answers with
// what the one that has it said (listing_merge.hpp, first_found).
void ask_everyone(const ClusterLink& link, net::HttpRequest request, net::Responder respond);

// Runs `handler` on `call`; an exception costs this request a 500, never
// the thread (which may be an actor's, when a cluster answer resumes it).
void run_guarded(void (*handler)(Call), Call call);

}  // namespace backbeat::actors::api
