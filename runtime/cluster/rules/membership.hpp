#pragma once
// Who is in the cluster and who is alive, from our own heartbeats
// (docs/cluster.md): CAF 0.17 cannot tell a hung peer from a slow one. Pure:
// the caller feeds heartbeats and clock ticks and acts on what changed.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace backbeat::cluster {

using Millis = int64_t;

// What a member says about itself in every heartbeat.
struct MemberInfo {
  std::string id;
  uint64_t incarnation = 0;
  std::string cluster_address;  // host:port of its node agent
  std::string http_address;     // host:port of its HTTP API
  // Asked to give all its partitions away (an operator is removing it).
  bool draining = false;
  friend bool operator==(const MemberInfo&, const MemberInfo&) = default;
};

enum class MemberState { up, down };

struct Member {
  MemberInfo info;
  MemberState state = MemberState::down;
  Millis last_heard = 0;  // 0: never
};

// A change the caller acts on (log it, re-plan partitions, reconnect).
struct MembershipChange {
  enum class Kind { joined, rejoined, down, address_changed, draining_changed };
  Kind kind;
  MemberInfo member;
};

class Membership {
 public:
  Membership(MemberInfo self, Millis suspect_after);

  const MemberInfo& self() const { return self_; }
  // Every member known, this one included, by id.
  const std::map<std::string, Member>& members() const { return members_; }
  std::vector<std::string> live_ids() const;  // this one included, sorted
  bool is_up(const std::string& id) const;
  // Members up and not draining: where partitions may go.
  std::vector<std::string> hosts() const;

  // This member's own draining flag, told to the others by its heartbeats.
  void set_draining(bool on);

  // A member we only know the address of (a seed, or one a peer named):
  // known as down until it heartbeats. Returns false for an id of our own.
  bool learn(const MemberInfo& info);

  // A heartbeat from `from` at `now`. An older incarnation than the one
  // known is a stale message and changes nothing.
  std::vector<MembershipChange> heard(const MemberInfo& from, Millis now);

  // Members silent for longer than suspect_after are down.
  std::vector<MembershipChange> tick(Millis now);

 private:
  MemberInfo self_;
  Millis suspect_after_;
  std::map<std::string, Member> members_;
};

}  // namespace backbeat::cluster
