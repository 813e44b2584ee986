#include "actors/api/cluster_routing.hpp"

#include <algorithm>
#include <charconv>
#include <exception>

#include "actors/api/inputs.hpp"
#include "actors/api/listing_merge.hpp"
#include "actors/api/read_dispatch.hpp"
#include "actors/api/workflow_identity.hpp"
#include "engine/placement.hpp"

namespace backbeat::actors::api {
namespace {

using Kind = Placement::Kind;

// The partitions a request's data may be in, in the order to try them.
// None when the request names nothing placeable (a malformed id or body):
// it runs here, where its handler answers the 400.
struct Target {
  std::vector<uint32_t> partitions;
  bool anywhere = false;  // a node id made before stamping that this member lacks
};

void add_once(std::vector<uint32_t>& partitions, uint32_t p) {
  if (std::find(partitions.begin(), partitions.end(), p) == partitions.end())
    partitions.push_back(p);
}

Target target_of(const Call& call, const Route& route) {
  const ClusterLink& link = *call.svc->cluster;
  Target t;
  if (route.where == Where::identity) {
    auto key = workflow_key(call.params);
    if (!key) return t;
    const Uuid& user = call.me().id;
    // The same derivation the handlers use (workflow_identity.hpp).
    const std::vector<Uuid> ids = route.method == "POST"
                                      ? std::vector<Uuid>{created_workflow(user, *key).id}
                                      : looked_up_workflows(user, *key);
    for (const Uuid& id : ids) add_once(t.partitions, partition_of_workflow(id, link.partitions()));
    return t;
  }
  auto id = id_from_path(call.params.value("id", ""));
  if (!id) return t;
  if (route.where == Where::workflow_id) {
    t.partitions.push_back(partition_of_workflow(*id, link.partitions()));
  } else if (route.where == Where::node_id) {
    auto partition = partition_of_node(*call.svc, *id);
    if (!partition) return t;  // a store error: the handler meets and answers it
    if (*partition)
      t.partitions.push_back(**partition);
    else
      t.anywhere = true;
  }
  return t;
}

// The sender's epoch for the partition, from kForwardedHeader: "<member> <epoch>".
uint64_t sender_epoch(std::string_view header) {
  const size_t space = header.rfind(' ');
  if (space == std::string_view::npos) return 0;
  uint64_t epoch = 0;
  std::from_chars(header.data() + space + 1, header.data() + header.size(), epoch);
  return epoch;
}

std::string owned_elsewhere(uint32_t partition, const Placement& pl) {
  std::string out = "partition " + std::to_string(partition) + " is owned by " + pl.owner +
                    " at epoch " + std::to_string(pl.epoch);
  if (!pl.reason.empty()) out += " (" + pl.reason + ")";
  return out;
}

// A request another member sent here, believing this member owns its
// partition. Never forwarded again: a stale sender gets a 503 and retries
// once its map has caught up.
void run_forwarded(Call call, const Route& route, const Target& target) {
  if (target.partitions.empty()) return serve(route, std::move(call));
  const ClusterLink& link = *call.svc->cluster;
  const uint64_t told = sender_epoch(call.request.header(kForwardedHeader));
  std::optional<std::string> refusal;
  for (uint32_t p : target.partitions) {
    const Placement pl = link.place(p);
    if (pl.kind != Kind::local) {
      if (!refusal) refusal = owned_elsewhere(p, pl);
      continue;
    }
    // The sender has seen a later assignment of this partition than this
    // member has: this member missed a move and must not serve it.
    if (told > pl.epoch)
      return call.fail(make_error(Error::Kind::partition_unavailable,
                                  "partition " + std::to_string(p) + " was assigned at epoch " +
                                      std::to_string(told) + "; this member knows only epoch " +
                                      std::to_string(pl.epoch)));
    return serve(route, std::move(call));
  }
  call.fail(make_error(Error::Kind::partition_unavailable, *refusal));
}

bool same_stop(const Placement& a, const Placement& b) {
  return a.kind != Kind::unavailable && a.kind == b.kind && a.owner == b.owner;
}

// Runs the request at stops[i]; a 404 there moves on to the next stop (a
// lookup whose subject texts fall into partitions of different members).
void try_in_turn(Call call, const Route& route, std::vector<Placement> stops, size_t i) {
  if (i + 1 < stops.size()) {
    Call again = call;  // holds the client's responder
    call.respond = [again = std::move(again), route = &route, stops,
                    i](net::HttpResponse r) mutable {
      if (r.status != 404) return again.respond(std::move(r));
      try_in_turn(std::move(again), *route, std::move(stops), i + 1);
    };
  }
  const Placement& stop = stops[i];
  switch (stop.kind) {
    case Kind::local:
      return serve(route, std::move(call));
    case Kind::remote: {
      net::HttpRequest request = call.request;
      return call.svc->cluster->forward(stop, std::move(request), std::move(call.respond));
    }
    case Kind::unavailable:
      return call.fail(partition_unavailable(stop));
  }
}

// A request a client sent here.
void run_from_gateway(Call call, const Route& route, const Target& target) {
  const ClusterLink& link = *call.svc->cluster;
  if (target.anywhere) return ask_everyone(link, std::move(call.request), std::move(call.respond));
  if (target.partitions.empty()) return serve(route, std::move(call));
  std::vector<Placement> stops;
  for (uint32_t p : target.partitions) {
    Placement pl = link.place(p);
    if (std::none_of(stops.begin(), stops.end(), [&](const Placement& s) { return same_stop(s, pl); }))
      stops.push_back(std::move(pl));
  }
  try_in_turn(std::move(call), route, std::move(stops), 0);
}

// This member's part of a gathered listing: from the partitions it owns as
// of now, named in the answer so the gateway can tell a move's seam.
void list_here(Call call, const Route& route) {
  auto owned = std::make_shared<const std::vector<bool>>(call.svc->cluster->owned_partitions());
  call.listed = owned;
  call.respond = [respond = std::move(call.respond), listed = encode_partitions(*owned)](
                     net::HttpResponse r) {
    r.headers.emplace_back(kListedHeader, listed);
    respond(std::move(r));
  };
  serve(route, std::move(call));
}

// A request about one member's own state: that member answers it.
void run_on_member(Call call, const Route& route, bool forwarded) {
  const std::string member = call.params.value("member", "");
  auto placement = call.svc->cluster->place_member(member);
  if (!placement)
    return call.fail(
        make_error(Error::Kind::unknown_member, "no member '" + member + "' in this cluster"));
  if (forwarded && placement->kind != Kind::local)
    return call.fail(
        make_error(Error::Kind::member_unavailable, "this member is not '" + member + "'"));
  try_in_turn(std::move(call), route, {*placement}, 0);
}

}  // namespace

void run_in_cluster(Call call, const Route& route) {
  const bool forwarded = !call.request.header(kForwardedHeader).empty();
  switch (route.where) {
    case Where::local:
    case Where::users:  // create_user shares the new user
      return serve(route, std::move(call));
    case Where::everywhere:
      if (!forwarded && route.gather) return route.gather(std::move(call));
      return list_here(std::move(call), route);
    case Where::member:
      return run_on_member(std::move(call), route, forwarded);
    case Where::workflow_id:
    case Where::node_id:
    case Where::identity:
      break;
  }
  const Target target = target_of(call, route);
  if (forwarded) return run_forwarded(std::move(call), route, target);
  run_from_gateway(std::move(call), route, target);
}

std::vector<std::string> partition_owners(const ClusterLink& link) {
  std::vector<std::string> owners;
  const uint32_t n = link.partitions();
  owners.reserve(n);
  for (uint32_t p = 0; p < n; ++p) owners.push_back(link.place(p).owner);
  return owners;
}

Result<std::optional<uint32_t>> partition_of_node(const Services& svc, const Uuid& node) {
  const uint32_t partitions = svc.cluster->partitions();
  if (auto stamped = partition_of_stamped(node, partitions)) return stamped;
  auto found = svc.store->find_node(node);
  if (!found) return found.error();
  if (!*found) return std::optional<uint32_t>();
  return std::optional<uint32_t>(partition_of_workflow((*found)->workflow_id, partitions));
}

storage::WorkflowVisible listed_here(const Call& call) {
  const ClusterLink* link = call.svc->cluster;
  if (!link) return {};
  auto owned = call.listed ? call.listed : std::make_shared<const std::vector<bool>>(link->owned_partitions());
  return [owned, n = link->partitions()](const Uuid& wf) {
    const uint32_t p = partition_of_workflow(wf, n);
    return p < owned->size() && (*owned)[p];
  };
}

Error partition_unavailable(const Placement& placement) {
  std::string message = placement.reason;
  if (message.empty())
    message = "partition " + std::to_string(placement.partition) + " is unavailable";
  return make_error(Error::Kind::partition_unavailable, std::move(message));
}

void ask_everyone(const ClusterLink& link, net::HttpRequest request, net::Responder respond) {
  link.gather(std::move(request),
              [owners = partition_owners(link), respond = std::move(respond)](
                  std::vector<MemberAnswer> answers) { respond(first_found(answers, owners)); });
}

void run_guarded(void (*handler)(Call), Call call) {
  try {
    handler(std::move(call));
  } catch (const std::exception& e) {
    // Once the call has moved into the handler, its dropped responder
    // answers 500 instead (as in Api::handle).
    if (call.respond) call.fail(make_error(Error::Kind::internal, e.what()));
  }
}

}  // namespace backbeat::actors::api
