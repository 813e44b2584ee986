#include "runtime/cluster/rules/membership.hpp"

namespace backbeat::cluster {

Membership::Membership(MemberInfo self, Millis suspect_after)
    : self_(std::move(self)), suspect_after_(suspect_after) {
  members_[self_.id] = Member{self_, MemberState::up, 0};
}

std::vector<std::string> Membership::live_ids() const {
  std::vector<std::string> out;
  for (const auto& [id, m] : members_)
    if (m.state == MemberState::up) out.push_back(id);
  return out;
}

bool Membership::is_up(const std::string& id) const {
  auto it = members_.find(id);
  return it != members_.end() && it->second.state == MemberState::up;
}

std::vector<std::string> Membership::hosts() const {
  std::vector<std::string> out;
  for (const auto& [id, m] : members_)
    if (m.state == MemberState::up && !m.info.draining) out.push_back(id);
  return out;
}

void Membership::set_draining(bool on) {
  self_.draining = on;
  members_[self_.id].info.draining = on;
}

bool Membership::learn(const MemberInfo& info) {
  if (info.id.empty() || info.id == self_.id) return false;
  auto [it, added] = members_.try_emplace(info.id, Member{info, MemberState::down, 0});
  // A down member's new address, so it can be reached; its incarnation is
  // left for heard() to compare, or its restart would read as a plain join.
  if (!added && info.incarnation > it->second.info.incarnation && it->second.state == MemberState::down) {
    it->second.info.cluster_address = info.cluster_address;
    it->second.info.http_address = info.http_address;
  }
  return added;
}

std::vector<MembershipChange> Membership::heard(const MemberInfo& from, Millis now) {
  std::vector<MembershipChange> out;
  if (from.id.empty() || from.id == self_.id) return out;
  auto it = members_.find(from.id);
  if (it == members_.end()) {
    members_[from.id] = Member{from, MemberState::up, now};
    out.push_back({MembershipChange::Kind::joined, from});
    return out;
  }
  Member& m = it->second;
  if (from.incarnation < m.info.incarnation) return out;  // a message from before a restart
  const bool restarted = from.incarnation > m.info.incarnation && m.last_heard != 0;
  const bool moved = from.cluster_address != m.info.cluster_address ||
                     from.http_address != m.info.http_address;
  const bool was_down = m.state == MemberState::down;
  const bool draining_changed = from.draining != m.info.draining;
  m.info = from;
  m.last_heard = now;
  m.state = MemberState::up;
  if (restarted) out.push_back({MembershipChange::Kind::rejoined, from});
  else if (was_down) out.push_back({MembershipChange::Kind::joined, from});
  if (moved && !was_down && !restarted)
    out.push_back({MembershipChange::Kind::address_changed, from});
  if (draining_changed && !was_down && !restarted)
    out.push_back({MembershipChange::Kind::draining_changed, from});
  return out;
}

std::vector<MembershipChange> Membership::tick(Millis now) {
  std::vector<MembershipChange> out;
  for (auto& [id, m] : members_) {
    if (id == self_.id || m.state == MemberState::down) continue;
    if (now - m.last_heard > suspect_after_) {
      m.state = MemberState::down;
      out.push_back({MembershipChange::Kind::down, m.info});
    }
  }
  return out;
}

}  // namespace backbeat::cluster
