#include "runtime/cluster/agent_link.hpp"

#include "net/contract/error_body.hpp"

namespace backbeat::cluster {
namespace {

using actors::Placement;

const char* state_name(MemberState s) { return s == MemberState::up ? "up" : "down"; }

}  // namespace

net::HttpResponse unavailable_response(const std::string& message) {
  return contract::error_response(make_error(Error::Kind::partition_unavailable, message));
}

void AgentLink::publish(ClusterSnapshot snapshot) {
  auto next = std::make_shared<const ClusterSnapshot>(std::move(snapshot));
  std::lock_guard<std::mutex> lock(mu_);
  snapshot_ = std::move(next);
}

std::shared_ptr<const ClusterSnapshot> AgentLink::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return snapshot_;
}

Placement AgentLink::place(uint32_t partition) const {
  auto snap = snapshot();
  Placement p;
  p.partition = partition;
  if (partition >= snap->map.partitions()) {
    p.kind = Placement::Kind::unavailable;
    p.reason = "this member has no partition map yet";
    return p;
  }
  const Assignment& a = snap->map.at(partition);
  p.owner = a.owner;
  p.epoch = a.epoch;
  // Local while it moves too: its copy here is frozen (the registry turns
  // commands away with 503), so reads and searches stay right until the
  // commit hands it over.
  if (a.owner == settings_.self_id) return p;
  auto it = snap->members.find(a.owner);
  if (it == snap->members.end() || it->second.state != MemberState::up) {
    p.kind = Placement::Kind::unavailable;
    p.reason = "partition " + std::to_string(partition) + " is owned by " + a.owner +
               ", which is down";
    return p;
  }
  p.kind = Placement::Kind::remote;
  return p;
}

std::vector<bool> AgentLink::owned_partitions() const {
  auto snap = snapshot();
  std::vector<bool> owned(settings_.partitions);
  // As place() judges: a partition moving out is still ours until the commit.
  for (uint32_t p = 0; p < owned.size() && p < snap->map.partitions(); ++p)
    owned[p] = snap->map.at(p).owner == settings_.self_id;
  return owned;
}

void AgentLink::forward(const Placement& placement, net::HttpRequest request,
                        net::Responder respond) const {
  request.headers.emplace_back(actors::kForwardedHeader,
                               settings_.self_id + " " + std::to_string(placement.epoch));
  caf::anon_send(agent_, forward_out_atom::value, placement.owner, to_wire(request),
                 std::move(respond));
}

void AgentLink::gather(net::HttpRequest request, GatherDone done) const {
  request.headers.emplace_back(actors::kForwardedHeader, settings_.self_id + " 0");
  caf::anon_send(agent_, gather_atom::value, to_wire(request), std::move(done));
}

std::optional<Placement> AgentLink::place_member(const std::string& id) const {
  auto snap = snapshot();
  auto it = snap->members.find(id);
  if (it == snap->members.end()) return std::nullopt;
  Placement p;
  p.owner = id;
  if (id == settings_.self_id) return p;
  if (it->second.state != MemberState::up) {
    p.kind = Placement::Kind::unavailable;
    p.reason = "member " + id + " is down";
    return p;
  }
  p.kind = Placement::Kind::remote;
  return p;
}

void AgentLink::set_draining(bool on, std::function<void(std::string)> done) const {
  caf::anon_send(agent_, drain_atom::value, on, DrainDone{std::move(done)});
}

void AgentLink::deliver_link(const Placement& placement, const storage::OutboxEntry& link,
                             std::function<void(bool)> done) const {
  caf::anon_send(agent_, link_out_atom::value, placement.owner, to_wire(link),
                 LinkDone{std::move(done)});
}

void AgentLink::share_user(const User& user) const {
  caf::anon_send(agent_, share_atom::value, to_wire(user));
}

nlohmann::json AgentLink::status() const {
  auto snap = snapshot();
  nlohmann::json members = nlohmann::json::array();
  for (const auto& [id, m] : snap->members) {
    const size_t owned = snap->map.owned_by(id).size();
    nlohmann::json row{{"id", id},
                       {"self", id == settings_.self_id},
                       {"state", state_name(m.state)},
                       {"incarnation", m.info.incarnation},
                       {"clusterAddress", m.info.cluster_address},
                       {"httpAddress", m.info.http_address},
                       {"lastHeardMs", m.last_heard},
                       {"partitionsOwned", owned},
                       {"draining", m.info.draining},
                       // Safe to stop: nothing of the cluster's lives on it.
                       {"drained", m.info.draining && owned == 0}};
    if (auto load = snap->loads.find(id); load != snap->loads.end())
      row["load"] = {{"workflowActors", load->second.workflow_actors},
                     {"commandsInFlight", load->second.commands_in_flight},
                     {"activitiesRunning", load->second.activities_running}};
    members.push_back(std::move(row));
  }
  nlohmann::json owners = nlohmann::json::array();
  for (uint32_t p = 0; p < snap->map.partitions(); ++p)
    owners.push_back({{"partition", p}, {"owner", snap->map.owner(p)}, {"epoch", snap->map.at(p).epoch}});
  return {{"self", settings_.self_id},
          {"partitions", settings_.partitions},
          {"epoch", snap->map.epoch()},
          {"members", std::move(members)},
          {"map", std::move(owners)},
          {"moving", snap->moving},
          {"problems", snap->problems}};
}

}  // namespace backbeat::cluster
