// The operator's view of the cluster (admin token): members, their state and
// load, and the partition map with its epoch (docs/cluster.md).
#include "actors/api/handlers.hpp"

namespace backbeat::actors::api {

void cluster_status(Call call) {
  if (!call.svc->cluster) return call.reply(200, net::OrderedJson{{"clustered", false}});
  net::OrderedJson out{{"clustered", true}};
  const nlohmann::json status = call.svc->cluster->status();
  for (const auto& [key, value] : status.items()) out[key] = value;
  call.reply(200, out);
}

}  // namespace backbeat::actors::api
