#pragma once
// The one actor a member publishes on its cluster port (docs/cluster.md).
// It heartbeats the other members and keeps membership and the partition
// map (both pure, in membership.hpp and partition_map.hpp) up to date,
// publishing each change to the AgentLink the API reads; it runs requests
// other members forward through this member's own API; and it shares users.
#include <caf/all.hpp>

#include "actors/api/api.hpp"
#include "actors/services.hpp"
#include "runtime/cluster/agent_link.hpp"

namespace backbeat::cluster {

// CAF messages may not carry raw pointers.
struct ApiRef {
  const actors::api::Api* api = nullptr;
};

struct AgentStart {
  MemberInfo self;
  PartitionMap map;                    // as persisted, or the first one
  std::vector<std::string> seeds;      // host:port of every seed to introduce ourselves to
  std::vector<std::string> joins;      // those of seeds given by --join: may not know us
};

// The agent starts idle and publishes nothing; `start_agent` gives it the
// API and the addresses once both are bound, so a forwarded request always
// finds an API to run on.
caf::actor spawn_node_agent(caf::actor_system& system, const actors::Services* svc,
                            AgentLink* link, AgentStart start);
void start_agent(const caf::actor& agent, const actors::api::Api* api,
                 const std::string& cluster_address, const std::string& http_address);

}  // namespace backbeat::cluster

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::cluster::ApiRef)
