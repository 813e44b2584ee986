#pragma once
// The node agent's state and the helpers its two halves share: membership,
// forwarding and users in node_agent.cpp; moving partitions in
// partition_moves.cpp. Internal to runtime/cluster.
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/all.hpp>

#include "actors/api/api.hpp"
#include "actors/services.hpp"
#include "runtime/cluster/agent_link.hpp"
#include "runtime/cluster/durable_writes.hpp"
#include "runtime/cluster/rules/membership.hpp"
#include "runtime/cluster/rules/partition_map.hpp"
#include "runtime/cluster/wire.hpp"
#include "storage/records.hpp"

namespace backbeat::cluster {

using heartbeat_atom = caf::atom_constant<caf::atom("bb_hb")>;
using forward_atom = caf::atom_constant<caf::atom("bb_fwd")>;
using reply_atom = caf::atom_constant<caf::atom("bb_reply")>;
using user_atom = caf::atom_constant<caf::atom("bb_user")>;
using users_atom = caf::atom_constant<caf::atom("bb_users")>;
using api_atom = caf::atom_constant<caf::atom("bb_api")>;
using move_atom = caf::atom_constant<caf::atom("bb_move")>;
using import_atom = caf::atom_constant<caf::atom("bb_import")>;
using abort_atom = caf::atom_constant<caf::atom("bb_abort")>;
using drop_atom = caf::atom_constant<caf::atom("bb_drop")>;  // purge a given-away copy, a step

// The coordinator's view of the one move it has asked for.
struct MoveInFlight {
  Move move;
  Millis started = 0;
  // A side restarted faster than suspicion is not seen down: its new
  // incarnation says the move is over.
  uint64_t from_incarnation = 0, to_incarnation = 0;
};

// The old owner's side of a move it is carrying out.
struct Outgoing {
  uint64_t id = 0;  // which move: answers for an earlier one are ignored
  MoveOrder order;
  uint64_t to_incarnation = 0;               // the new owner as it was asked
  std::vector<storage::OutboxEntry> outbox;  // read once the partition is fenced
  bool first_sent = false;                   // the batch that clears earlier attempts
  std::optional<Uuid> after;                 // last workflow sent
  size_t sent = 0;
  uint64_t epoch = 0;                        // the assignment it will commit
  caf::response_promise promise;             // the coordinator's answer
};

struct AgentState {
  const actors::Services* svc = nullptr;
  const actors::api::Api* api = nullptr;
  AgentLink* link = nullptr;
  std::unique_ptr<Membership> members;
  PartitionMap map;
  std::vector<std::string> seeds;  // every seed's address
  std::vector<std::string> joins;  // those of seeds given by --join
  Millis alone_since = 0;          // without any link since then; 0 while linked
  std::unordered_map<std::string, caf::actor> peers;  // by cluster address
  std::unordered_map<caf::actor_addr, std::string> peer_addresses;
  std::unordered_map<std::string, Millis> connecting;  // address -> since
  std::unordered_map<std::string, WireLoad> loads;
  std::vector<std::string> problems;
  Millis last_tick = 0;
  uint64_t next_reply = 0;
  std::unordered_map<uint64_t, caf::response_promise> replies;  // forwarded to our API
  // Moves (partition_moves.cpp).
  std::optional<MoveInFlight> coordinating;
  Millis plan_after = 0;   // after a failed move, planning waits (backing off)
  Millis plan_backoff = 0;
  std::optional<Outgoing> outgoing;
  uint64_t moves_begun = 0;
  std::set<uint32_t> moving;                    // fenced here: 503 until the move ends
  std::map<uint32_t, uint64_t> incoming;        // partition -> epoch, copies not yet ours
  std::set<uint32_t> purging;                   // copies given away, being deleted
  // Where each deletion goes on: a partition's ids are spread over the
  // whole workflows family, and each step would scan it from the start.
  std::map<uint32_t, Uuid> purged_up_to;
  caf::actor writer;  // durable_writes.hpp
  static inline const char* name = "backbeat.node_agent";
};

using AgentSelf = caf::stateful_actor<AgentState>;

inline constexpr const char* kMapMetaKey = "cluster.map";  // the last map this member knew

Millis now_ms(AgentSelf* self);
void publish(AgentSelf* self);          // the snapshot the API reads
// Through the agent's writer (durable_writes.hpp): `then` runs once the
// write is durable or has failed, before any other message to the agent.
void persist(AgentSelf* self, storage::WriteSet writes, Written then);
caf::actor peer_of(AgentSelf* self, const std::string& member_id);
void heartbeat_all(AgentSelf* self);

}  // namespace backbeat::cluster
