#include "runtime/cluster/wire.hpp"

#include <algorithm>

namespace backbeat::cluster {
namespace {

std::vector<WireHeader> headers_to_wire(const std::vector<std::pair<std::string, std::string>>& h) {
  std::vector<WireHeader> out;
  out.reserve(h.size());
  for (const auto& [name, value] : h) out.push_back({name, value});
  return out;
}

std::vector<std::pair<std::string, std::string>> headers_from_wire(std::vector<WireHeader> h) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(h.size());
  for (WireHeader& x : h) out.emplace_back(std::move(x.name), std::move(x.value));
  return out;
}

}  // namespace

WireRequest to_wire(const net::HttpRequest& r) {
  return {r.method, r.target, headers_to_wire(r.headers), r.body};
}

net::HttpRequest from_wire(WireRequest r) {
  return {std::move(r.method), std::move(r.target), headers_from_wire(std::move(r.headers)),
          std::move(r.body)};
}

WireResponse to_wire(const net::HttpResponse& r) {
  return {r.status, r.content_type, headers_to_wire(r.headers), r.body};
}

net::HttpResponse from_wire(WireResponse r) {
  return {r.status, std::move(r.content_type), std::move(r.body),
          headers_from_wire(std::move(r.headers))};
}

WireUser to_wire(const User& u) {
  return {u.id,           u.name,         u.decision_endpoint, u.activity_endpoint,
          u.notification_endpoint, u.token_key, u.token_digest,  u.created_at,
          u.disabled,     u.grants,       u.version};
}

User from_wire(const WireUser& u) {
  User out;
  out.id = u.id;
  out.name = u.name;
  out.decision_endpoint = u.decision_endpoint;
  out.activity_endpoint = u.activity_endpoint;
  out.notification_endpoint = u.notification_endpoint;
  out.token_key = u.token_key;
  out.token_digest = u.token_digest;
  out.created_at = u.created_at;
  out.disabled = u.disabled;
  out.grants = u.grants;
  std::sort(out.grants.begin(), out.grants.end());
  out.grants.erase(std::unique(out.grants.begin(), out.grants.end()), out.grants.end());
  out.version = u.version;
  return out;
}

WireLink to_wire(const storage::OutboxEntry& link) {
  return {link.target_node, link.link_node, link.finished, link.id, link.by_user};
}

storage::OutboxEntry from_wire(const WireLink& link) {
  storage::OutboxEntry out;
  out.kind = storage::OutboxEntry::Kind::link;
  out.id = link.outbox_id;
  out.target_node = link.target_node;
  out.link_node = link.link_node;
  out.finished = link.finished;
  out.by_user = link.by_user;
  return out;
}

void register_wire_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<Heartbeat>("bb.Heartbeat");
  cfg.add_message_type<WireRequest>("bb.WireRequest");
  cfg.add_message_type<WireResponse>("bb.WireResponse");
  cfg.add_message_type<WireUser>("bb.WireUser");
  cfg.add_message_type<std::vector<WireUser>>("bb.WireUsers");
  cfg.add_message_type<WireMember>("bb.WireMember");
  cfg.add_message_type<MoveOrder>("bb.MoveOrder");
  cfg.add_message_type<ImportBatch>("bb.ImportBatch");
  cfg.add_message_type<WireLink>("bb.WireLink");
}

}  // namespace backbeat::cluster
