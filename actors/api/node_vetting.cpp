#include "actors/api/node_vetting.hpp"

#include <string>

#include "actors/api/cluster_routing.hpp"
#include "actors/api/node_spec.hpp"
#include "runtime/engine/not_found.hpp"

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

// A link's target must be the requester's node or a node of a user it was
// granted; anything else reads as unknown, like any foreign node. A target
// this member cannot see (another member's partition) is judged where the
// link is applied, by the engine on its owner.
Status may_link(const Call& call, const Uuid& target) {
  const Services& svc = *call.svc;
  if (svc.cluster) {
    auto partition = partition_of_node(svc, target);
    if (!partition) return partition.error();
    if (!*partition || svc.cluster->place(**partition).kind != Placement::Kind::local)
      return ok_status();
  }
  auto loc = svc.store->find_node(target);
  if (!loc) return loc.error();
  const Uuid& me = call.me().id;
  if (*loc && ((*loc)->user_id == me || (svc.policy && svc.policy->may_involve(me, (*loc)->user_id))))
    return ok_status();
  return engine::node_not_found(target);
}

}  // namespace

Status vet_new_nodes(const Call& call, std::span<const engine::NodeSpec> specs) {
  const Services& svc = *call.svc;
  if (svc.quotas) {
    const int64_t limit = svc.quotas->of(call.me().id).decisions_per_request;
    if (int64_t(specs.size()) > limit) {
      svc.metrics.quota_refusals++;
      return make_error(Error::Kind::payload_too_large, "Backbeat::QuotaExceeded",
                        std::to_string(specs.size()) + " decisions in one request; at most " +
                            std::to_string(limit) + " (quotas.decisions_per_request)");
    }
  }
  if (auto s = known_activity_types(specs, *svc.activities); !s) return s;
  for (size_t i = 0; i < specs.size(); ++i)
    if (auto s = usable_input(specs, i, svc); !s) return s;
  for (const engine::NodeSpec& spec : specs)
    if (spec.parent_link_id)
      if (auto s = may_link(call, *spec.parent_link_id); !s) return s;
  return ok_status();
}

}  // namespace backbeat::actors::api
