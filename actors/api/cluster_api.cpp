// The operator's view of the cluster (admin token): members, their state and
// load, and the partition map with its epoch; draining a member before it is
// removed (docs/cluster.md).
#include "actors/api/handlers.hpp"

namespace backbeat::actors::api {

void cluster_status(Call call) {
  if (!call.svc->cluster) return call.reply(200, contract::OrderedJson{{"clustered", false}});
  contract::OrderedJson out{{"clustered", true}};
  const nlohmann::json status = call.svc->cluster->status();
  for (const auto& [key, value] : status.items()) out[key] = value;
  call.reply(200, out);
}

namespace {

// Runs where the member is (cluster_routing.cpp, Where::member).
void set_draining(Call call, bool on) {
  if (!call.svc->cluster)
    return call.fail(make_error(Error::Kind::not_clustered, "this node is not a cluster member"));
  const ClusterLink& link = *call.svc->cluster;
  link.set_draining(on, [call, on, member = link.self_id()](std::string why) {
    if (!why.empty()) return call.fail(make_error(Error::Kind::drain_failed, why));
    call.reply(200, contract::OrderedJson{{"member", member}, {"draining", on}});
  });
}

}  // namespace

void drain_member(Call call) { set_draining(std::move(call), true); }
void undrain_member(Call call) { set_draining(std::move(call), false); }

}  // namespace backbeat::actors::api
