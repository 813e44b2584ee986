#pragma once
// What members send each other over CAF (docs/cluster.md), with the inspect()
// overloads CAF 0.17 serialises them with. Every type here is registered in
// register_wire_types() on every node: a type missing on either side turns
// into `unexpected_message` at run time (toolchain.md 2b).
#include <cstdint>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/messages.hpp"  // inspect(Uuid)
#include "net/http_message.hpp"
#include "engine/model.hpp"

namespace backbeat::cluster {

struct WireMember {
  std::string id;
  uint64_t incarnation = 0;
  std::string cluster_address;  // host:port
  std::string http_address;     // host:port
  bool draining = false;
};

struct WireLoad {
  int64_t workflow_actors = 0;
  int64_t commands_in_flight = 0;
  int64_t activities_running = 0;
};

struct Heartbeat {
  WireMember from;
  std::vector<WireMember> known;  // every member the sender knows of
  std::string map;                // PartitionMap::serialize()
  WireLoad load;
};

struct WireHeader {
  std::string name;
  std::string value;
};

struct WireRequest {
  std::string method;
  std::string target;
  std::vector<WireHeader> headers;
  std::string body;
};

struct WireResponse {
  int32_t status = 200;
  std::string content_type;
  std::vector<WireHeader> headers;
  std::string body;
};

struct WireUser {
  Uuid id;
  std::string name;
  std::string decision_endpoint;
  std::string activity_endpoint;
  std::string notification_endpoint;
  std::string token_key;     // the seal, never the token (actors/secrets.hpp)
  std::string token_digest;
  int64_t created_at = 0;
  bool disabled = false;
  std::vector<Uuid> grants;
  uint64_t version = 1;      // a member keeps the highest it has heard of
};

// The coordinator asks `from` to hand `partition` to `to` (docs/cluster.md).
struct MoveOrder {
  uint32_t partition = 0;
  std::string from;
  std::string to;
};

// Workflows of a moving partition, each storage/export_codec bytes.
struct ImportBatch {
  uint32_t partition = 0;
  uint64_t epoch = 0;  // the assignment the move will commit
  std::string from;
  bool first = false;  // of its move: whatever an earlier attempt left goes
  std::vector<std::string> workflows;
};

// A link update for a workflow the receiver owns (docs/cluster.md,
// "Routing"); the answer is `true` once applied durably there. outbox_id is
// the sender's record, which only the sender deletes.
struct WireLink {
  Uuid target_node;
  Uuid link_node;
  bool finished = false;
  Uuid outbox_id;
  Uuid by_user;  // checked by the owner where it applies the link
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WireLink& x) {
  return f(caf::meta::type_name("bb.WireLink"), x.target_node, x.link_node, x.finished,
           x.outbox_id, x.by_user);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, MoveOrder& x) {
  return f(caf::meta::type_name("bb.MoveOrder"), x.partition, x.from, x.to);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ImportBatch& x) {
  return f(caf::meta::type_name("bb.ImportBatch"), x.partition, x.epoch, x.from, x.first,
           x.workflows);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WireMember& x) {
  return f(caf::meta::type_name("bb.WireMember"), x.id, x.incarnation, x.cluster_address,
           x.http_address, x.draining);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WireLoad& x) {
  return f(caf::meta::type_name("bb.WireLoad"), x.workflow_actors, x.commands_in_flight,
           x.activities_running);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Heartbeat& x) {
  return f(caf::meta::type_name("bb.Heartbeat"), x.from, x.known, x.map, x.load);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WireHeader& x) {
  return f(caf::meta::type_name("bb.WireHeader"), x.name, x.value);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WireRequest& x) {
  return f(caf::meta::type_name("bb.WireRequest"), x.method, x.target, x.headers, x.body);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WireResponse& x) {
  return f(caf::meta::type_name("bb.WireResponse"), x.status, x.content_type, x.headers, x.body);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WireUser& x) {
  return f(caf::meta::type_name("bb.WireUser"), x.id, x.name, x.decision_endpoint,
           x.activity_endpoint, x.notification_endpoint, x.token_key, x.token_digest,
           x.created_at, x.disabled, x.grants, x.version);
}

WireRequest to_wire(const net::HttpRequest& r);
net::HttpRequest from_wire(WireRequest r);
WireResponse to_wire(const net::HttpResponse& r);
net::HttpResponse from_wire(WireResponse r);
WireUser to_wire(const User& u);
User from_wire(const WireUser& u);
WireLink to_wire(const storage::OutboxEntry& link);
storage::OutboxEntry from_wire(const WireLink& link);  // an entry of kind link

void register_wire_types(caf::actor_system_config& cfg);

}  // namespace backbeat::cluster
