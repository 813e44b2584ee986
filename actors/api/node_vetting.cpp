#include "actors/api/node_vetting.hpp"

#include <memory>
#include <optional>
#include <string>

#include "actors/api/cluster_routing.hpp"
#include "actors/api/node_spec.hpp"
#include "engine/not_found.hpp"

namespace backbeat::actors::api {
namespace {

std::string where(std::span<const engine::NodeSpec> specs, size_t i) {
  return specs.size() > 1 ? "decisions[" + std::to_string(i) + "]: " : "";
}

// The type's own judgement of the node's input (activity::Check).
Status usable_input(std::span<const engine::NodeSpec> specs, size_t i, const Services& svc) {
  const auto& type = specs[i].activity_type;
  const activity::Definition* def = type ? svc.activities->find(*type) : nullptr;
  if (!def || !def->check || !svc.activity_env) return ok_status();
  const Json data = Json::parse(specs[i].client_data, nullptr, false);
  if (auto s = def->check(data.is_object() ? data : Json::object(), *svc.activity_env); !s) {
    Error e = s.error();
    e.message = where(specs, i) + e.message;
    return e;
  }
  return ok_status();
}

bool may_involve(const Call& call, const Uuid& owner) {
  const Uuid& me = call.me().id;
  return owner == me || (call.svc->policy && call.svc->policy->may_involve(me, owner));
}

// A link's target must be the requester's node or a node of a user it was
// granted; anything else reads as unknown, like any foreign node. A target
// in another member's partition is asked of that member (confirm_links),
// and judged again where the link is applied, by the engine on its owner.
Status may_link(const Call& call, const Uuid& target, std::vector<RemoteLink>* remote) {
  const Services& svc = *call.svc;
  if (svc.cluster) {
    auto partition = partition_of_node(svc, target);
    if (!partition) return partition.error();
    // Unstamped and not here: an id from before stamping that this member
    // does not have; its owner is unknown, so the engine's check is all.
    if (!*partition) return ok_status();
    const Placement placement = svc.cluster->place(**partition);
    if (placement.kind != Placement::Kind::local) {
      remote->push_back({target, placement});
      return ok_status();
    }
  }
  auto loc = svc.store->find_node(target);
  if (!loc) return loc.error();
  if (*loc && may_involve(call, (*loc)->user_id)) return ok_status();
  return engine::node_not_found(target);
}

// What the owner said of one target: fine, or the error to answer.
std::optional<Error> judged(const Call& call, const Uuid& target, const net::HttpResponse& r) {
  if (r.status == 404) return engine::node_not_found(target);
  const Json body = Json::parse(r.body, nullptr, false);
  if (r.status == 200 && body.is_object() && body.value("userId", Json()).is_string()) {
    const auto owner = Uuid::parse(body["userId"].get<std::string>());
    if (owner && may_involve(call, *owner)) return std::nullopt;
    return engine::node_not_found(target);
  }
  return make_error(Error::Kind::partition_unavailable,
                    "cannot ask the owner of node " + target.str() + " now; retry shortly");
}

}  // namespace

Status vet_new_nodes(const Call& call, std::span<const engine::NodeSpec> specs,
                     std::vector<RemoteLink>* remote) {
  const Services& svc = *call.svc;
  if (svc.quotas) {
    const int64_t limit = svc.quotas->of(call.me().id).decisions_per_request;
    if (int64_t(specs.size()) > limit) {
      svc.metrics.quota_refusals++;
      return make_error(Error::Kind::decision_quota,
                        std::to_string(specs.size()) + " decisions in one request; at most " +
                            std::to_string(limit) + " (quotas.decisions_per_request)");
    }
  }
  if (auto s = known_activity_types(specs, *svc.activities); !s) return s;
  for (size_t i = 0; i < specs.size(); ++i)
    if (auto s = usable_input(specs, i, svc); !s) return s;
  for (const engine::NodeSpec& spec : specs)
    if (spec.parent_link_id)
      if (auto s = may_link(call, *spec.parent_link_id, remote); !s) return s;
  return ok_status();
}

void confirm_links(Call call, std::vector<RemoteLink> remote, std::function<void(Call)> go) {
  if (remote.empty()) return go(std::move(call));
  // One question at a time: a decision rarely links far, and the first
  // refusal ends it.
  const RemoteLink next = remote.back();
  remote.pop_back();
  if (next.placement.kind != Placement::Kind::remote)
    return call.fail(partition_unavailable(next.placement));
  net::HttpRequest ask;
  ask.method = "GET";
  ask.target = "/internal/nodes/" + next.target.str() + "/owner";
  const ClusterLink& link = *call.svc->cluster;
  auto pending = std::make_shared<Call>(std::move(call));
  link.forward(next.placement, std::move(ask),
               [pending, next, remote = std::move(remote), go = std::move(go)](net::HttpResponse r) mutable {
                 if (auto refused = judged(*pending, next.target, r)) return pending->fail(*refused);
                 confirm_links(std::move(*pending), std::move(remote), std::move(go));
               });
}

}  // namespace backbeat::actors::api
