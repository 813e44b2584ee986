#pragma once
// The records Backbeat keeps: users, workflows, nodes, status changes and
// timers. Plain values; storage encodes them, the engine transforms them.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.hpp"
#include "engine/uuid.hpp"

namespace backbeat {

using Millis = int64_t;  // milliseconds since the Unix epoch, UTC

struct User {
  Uuid id;
  std::string name;
  std::string decision_endpoint;  // empty: decisions go to the activity endpoint
  std::string activity_endpoint;
  std::string notification_endpoint;  // empty: notifications are skipped
  // The token itself is never kept (actors/secrets.hpp): a random key and
  // HMAC-SHA256(key, token), 32 bytes each.
  std::string token_key;
  std::string token_digest;
  // A plaintext token read from a record older than sealing; the node seals
  // it and rewrites the record at start, so it never lives on.
  std::string legacy_token;
  Millis created_at = 0;
  bool disabled = false;  // set by the admin: every request of the user is refused
  // Users this one may involve: name as client_id, link to with
  // parent_link_id (docs/security.md). Sorted, no duplicates.
  std::vector<Uuid> grants;
  // One more at every change, so a member that hears of a user twice keeps
  // the newer record.
  uint64_t version = 1;

  bool grants_to(const Uuid& other) const {
    return std::binary_search(grants.begin(), grants.end(), other);
  }
};

struct Workflow {
  Uuid id;
  Uuid user_id;
  std::string name;
  std::string decider;
  std::string subject;  // JSON text, as normalised on input
  bool complete = false;
  bool paused = false;
  Millis created_at = 0;
  Millis updated_at = 0;
  uint64_t next_seq = 1;  // seq of the next node created in this workflow
};

// A node that names this node as its parent_link_id. The linked node may sit
// in another workflow, so only its id and whether it has finished are kept.
struct LinkRef {
  Uuid node_id;
  bool finished = false;
  friend bool operator==(const LinkRef&, const LinkRef&) = default;
};

struct Node {
  Uuid id;
  Uuid workflow_id;
  Uuid user_id;  // whose endpoints receive it (client_id override)
  // The requester that made it; what its parent_link_id is checked against
  // where the link is applied. Nil in nodes from before it was kept.
  Uuid created_by;
  std::optional<Uuid> parent_id;       // nullopt: a top-level (signal) node
  std::optional<Uuid> parent_link_id;  // a node that must wait for this one
  std::string name;
  Mode mode = Mode::blocking;
  std::string legacy_type = "activity";  // "decision", "flag", "activity", legacy values
  // Empty: POSTed to the client's endpoint. Otherwise the name of the
  // in-engine activity actor that runs it (docs/activity-actors.md).
  std::string activity_type;
  ServerStatus server_status = ServerStatus::pending;
  ClientStatus client_status = ClientStatus::pending;
  uint64_t seq = 0;  // creation order within the workflow
  Millis fires_at = 0;
  std::optional<Millis> complete_by;
  int32_t retries_remaining = 6;
  int64_t retry_interval_s = 1200;
  int32_t retries_made = 0;  // retries scheduled so far; drives the back-off
  std::string client_data = "{}";  // JSON text, verbatim from the client
  std::string metadata = "{}";     // JSON text, verbatim from the client
  std::vector<LinkRef> links;      // nodes whose parent_link_id is this node
  uint32_t status_change_count = 0;
  uint32_t past_statuses = 0;  // status_word_bit of every to_status its rows reached
  bool callback_pending = false;  // sent, and the client has not answered yet
  uint32_t attempt = 0;  // sends so far; tells a late callback outcome from a current one
  std::optional<int64_t> timeout_s;  // client_data["timeout"]: deadline after each touch
  Millis created_at = 0;
  Millis updated_at = 0;

  bool is_decision() const { return legacy_type == "decision"; }
  bool is_flag() const { return legacy_type == "flag"; }
  bool runs_in_engine() const { return !activity_type.empty(); }
  // Done for its parent's walk and for a node it links to (a dead link
  // counts as finished, docs/contract.md §19).
  bool finished() const {
    return server_status == ServerStatus::complete || server_status == ServerStatus::deactivated;
  }
  // Sent and not yet answered: what a deadline or a failed callback concerns.
  bool at_client() const {
    return server_status == ServerStatus::sent_to_client &&
           (client_status == ClientStatus::received || client_status == ClientStatus::processing);
  }
};

enum class StatusType : uint8_t { server, client };

// Append-only audit row, one per status field written.
struct StatusChange {
  Uuid node_id;
  uint32_t index = 0;  // position in the node's own history
  StatusType type = StatusType::server;
  std::string from_status;
  std::string to_status;
  std::string response = "{}";  // JSON text
  Millis created_at = 0;
  // Not stored. Set by the engine when the row is written: whether its node,
  // or its workflow, reaches to_status for the first time, so past-status
  // index entries are put once rather than on every row.
  bool first_for_node = true;
  bool first_for_workflow = true;
};

// Everything that must happen later is one of these, persisted.
enum class TimerKind : uint8_t {
  start_node = 0,  // send the node at fires_at (timers, delayed signals)
  retry = 1,       // back-off elapsed: make the node ready again
  deadline = 2,    // complete_by passed: the client did not answer in time
};

struct Timer {
  Millis due = 0;
  Uuid workflow_id;
  Uuid node_id;
  TimerKind kind = TimerKind::start_node;
  friend auto operator<=>(const Timer&, const Timer&) = default;
};

}  // namespace backbeat
