#pragma once
// The API's view of the cluster (actors/cluster_link.hpp), backed by the node
// agent: placement is read from a snapshot the agent publishes after every
// change, so HTTP threads never wait for an actor to place a request.
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include <caf/all.hpp>

#include "actors/cluster_link.hpp"
#include "runtime/cluster/rules/membership.hpp"
#include "runtime/cluster/rules/partition_map.hpp"
#include "runtime/cluster/wire.hpp"

namespace backbeat::cluster {

// What the agent knows, as of its last change.
struct ClusterSnapshot {
  PartitionMap map;
  std::map<std::string, Member> members;  // this member included
  std::map<std::string, WireLoad> loads;  // from heartbeats; ours too
  std::vector<std::string> problems;      // e.g. a peer with a conflicting map
  std::set<uint32_t> moving;              // partitions this member is handing over
};

struct ClusterSettings {
  std::string self_id;
  uint32_t partitions = 64;
  std::chrono::milliseconds heartbeat{500};
  std::chrono::milliseconds suspect_after{3000};
  std::chrono::milliseconds forward_timeout{10000};
};

class AgentLink final : public actors::ClusterLink {
 public:
  explicit AgentLink(ClusterSettings settings) : settings_(std::move(settings)) {}

  void set_agent(caf::actor agent) { agent_ = std::move(agent); }
  void publish(ClusterSnapshot snapshot);  // the agent, after each change
  std::shared_ptr<const ClusterSnapshot> snapshot() const;
  const ClusterSettings& settings() const { return settings_; }

  const std::string& self_id() const override { return settings_.self_id; }
  uint32_t partitions() const override { return settings_.partitions; }
  actors::Placement place(uint32_t partition) const override;
  std::vector<bool> owned_partitions() const override;
  void forward(const actors::Placement& placement, net::HttpRequest request,
               net::Responder respond) const override;
  void gather(net::HttpRequest request,
              std::function<void(std::vector<actors::MemberAnswer>)> done) const override;
  std::optional<actors::Placement> place_member(const std::string& id) const override;
  void set_draining(bool on, std::function<void(std::string)> done) const override;
  void deliver_link(const actors::Placement& placement, const storage::OutboxEntry& link,
                    std::function<void(bool applied)> done) const override;
  void share_user(const User& user) const override;
  nlohmann::json status() const override;

 private:
  ClusterSettings settings_;
  caf::actor agent_;
  mutable std::mutex mu_;
  std::shared_ptr<const ClusterSnapshot> snapshot_ = std::make_shared<ClusterSnapshot>();
};

// Messages from the link to the agent (local only).
using forward_out_atom = caf::atom_constant<caf::atom("bb_fwdout")>;
using gather_atom = caf::atom_constant<caf::atom("bb_gather")>;
using share_atom = caf::atom_constant<caf::atom("bb_share")>;
using drain_atom = caf::atom_constant<caf::atom("bb_drain")>;
using link_out_atom = caf::atom_constant<caf::atom("bb_linkout")>;

using GatherDone = std::function<void(std::vector<actors::MemberAnswer>)>;
// Wrapped: a bare std::function<void(std::string)> may be some other
// message's type too.
struct DrainDone {
  std::function<void(std::string)> done;
};

// Wrapped, like DrainDone: a link update's outcome, true once applied.
struct LinkDone {
  std::function<void(bool)> done;
};

// The 503 every request for an unreachable partition gets.
net::HttpResponse unavailable_response(const std::string& message);

}  // namespace backbeat::cluster

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::net::Responder)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::cluster::GatherDone)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::cluster::DrainDone)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::cluster::LinkDone)
