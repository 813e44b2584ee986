#pragma once
// Records with every field set to a non-default value, and field-wise
// comparison (the model types have no operator==).
#include <ostream>
#include <string>
#include <tuple>

#include "engine/model.hpp"
#include "engine/result.hpp"
#include "storage/records.hpp"

namespace backbeat {
// Lets BOOST_TEST print a failed comparison of error kinds (found by ADL).
inline std::ostream& boost_test_print_type(std::ostream& os, Error::Kind kind) {
  return os << "Error::Kind(" << static_cast<int>(kind) << ")";
}
}  // namespace backbeat

namespace backbeat::storage::test {

inline Uuid id(uint64_t hi, uint64_t lo = 1) { return Uuid{hi, lo}; }

inline User sample_user(Uuid user_id = id(1)) {
  User u{user_id, "acme", "http://d.example/decide", "http://a.example/act",
         "http://n.example/notify"};
  u.token_key = std::string(32, 'k');
  u.token_digest = std::string(32, '\x01');
  u.created_at = 1'700'000'000'001;
  u.grants = {id(7), id(8)};
  u.version = 3;
  return u;
}

inline Workflow sample_workflow(Uuid wf = id(2), Uuid user = id(1)) {
  Workflow w;
  w.id = wf;
  w.user_id = user;
  w.name = "order";
  w.decider = "OrderDecider";
  w.subject = R"({"order":42})";
  w.complete = true;
  w.paused = true;
  w.created_at = 1'700'000'000'002;
  w.updated_at = 1'700'000'000'003;
  w.next_seq = 17;
  return w;
}

inline Node sample_node(Uuid wf = id(2), Uuid node = id(3), uint64_t seq = 5) {
  Node n;
  n.id = node;
  n.workflow_id = wf;
  n.user_id = id(1);
  n.parent_id = id(4);
  n.parent_link_id = id(5);
  n.name = "charge card";
  n.mode = Mode::fire_and_forget;
  n.legacy_type = "decision";
  n.activity_type = "sum_amounts";
  n.server_status = ServerStatus::retries_exhausted;
  n.client_status = ClientStatus::shutdown;
  n.seq = seq;
  n.fires_at = -5;
  n.complete_by = 1'700'000'000'004;
  n.retries_remaining = 3;
  n.retry_interval_s = 60;
  n.retries_made = 2;
  n.client_data = R"({"timeout":30})";
  n.metadata = R"({"k":"v"})";
  n.links = {LinkRef{id(6), true}, LinkRef{id(7), false}};
  n.status_change_count = 9;
  n.callback_pending = true;
  n.attempt = 4;
  n.timeout_s = 30;
  n.past_statuses = 0x15;
  n.created_at = 1'700'000'000'005;
  n.updated_at = 1'700'000'000'006;
  return n;
}

inline StatusChange sample_change(Uuid node = id(3), uint32_t index = 7) {
  return StatusChange{node, index, StatusType::client, "received", "processing",
                      R"({"ok":true})", 1'700'000'000'007};
}

inline OutboxEntry sample_outbox(Uuid entry = id(8), Millis created_at = 1'700'000'000'008) {
  OutboxEntry e;
  e.id = entry;
  e.url = "http://n.example/notify";
  e.body = R"({"event":"done"})";
  e.attempts = 2;
  e.created_at = created_at;
  e.workflow_id = id(2);
  return e;
}

inline OutboxEntry sample_link_message() {
  OutboxEntry e = sample_outbox(id(9));
  e.kind = OutboxEntry::Kind::link;
  e.target_node = id(10);
  e.link_node = id(11);
  e.finished = true;
  return e;
}

inline auto fields(const User& u) {
  return std::tie(u.id, u.name, u.decision_endpoint, u.activity_endpoint, u.notification_endpoint,
                  u.token_key, u.token_digest, u.legacy_token, u.created_at, u.disabled, u.grants,
                  u.version);
}
inline auto fields(const Workflow& w) {
  return std::tie(w.id, w.user_id, w.name, w.decider, w.subject, w.complete, w.paused,
                  w.created_at, w.updated_at, w.next_seq);
}
inline auto fields(const Node& n) {
  return std::tie(n.id, n.workflow_id, n.user_id, n.parent_id, n.parent_link_id, n.name, n.mode,
                  n.legacy_type, n.activity_type, n.server_status, n.client_status, n.seq, n.fires_at,
                  n.complete_by, n.retries_remaining, n.retry_interval_s, n.retries_made,
                  n.client_data, n.metadata, n.links, n.status_change_count, n.callback_pending,
                  n.attempt, n.timeout_s, n.past_statuses, n.created_at, n.updated_at);
}
inline auto fields(const StatusChange& c) {
  return std::tie(c.node_id, c.index, c.type, c.from_status, c.to_status, c.response,
                  c.created_at);
}
inline auto fields(const OutboxEntry& e) { return std::tie(e.id, e.url, e.body, e.attempts, e.created_at); }

template <class T>
bool same(const T& a, const T& b) {
  return fields(a) == fields(b);
}

}  // namespace backbeat::storage::test
