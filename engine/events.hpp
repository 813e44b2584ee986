#pragma once
// Everything that can happen to one workflow, as plain values. The HTTP layer
// has already parsed and validated the shape of the input; the engine decides
// whether it is legal in the workflow's current state.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/model.hpp"

namespace backbeat::engine {

// A node to create: a signal, or one element of a decisions array. Unset
// fields take the original's defaults (docs/contract.md §3.4, §9.2).
struct NodeSpec {
  std::string name;
  std::optional<std::string> type;  // legacy_type; "activity" when unset
  std::optional<std::string> activity_type;  // run by this in-engine actor, not the client
  std::optional<Mode> mode;
  std::optional<Millis> fires_at;
  std::optional<int32_t> retries;
  std::optional<int64_t> retry_interval_s;
  std::optional<Uuid> client_id;  // owner override
  std::string client_data = "{}";
  std::string metadata = "{}";
  std::optional<Uuid> parent_link_id;
  std::optional<int64_t> timeout_s;  // client_data["timeout"], extracted by the caller
  std::optional<ServerStatus> server_status;  // honoured, as the original does
  std::optional<ClientStatus> client_status;
};

namespace ev {

// Find-or-create. The caller derives id from (user, name, subject), so a
// second create for the same triple lands on the same workflow.
struct CreateWorkflow {
  Uuid id;
  Uuid user_id;
  std::string name;
  std::string decider;
  std::string subject;  // JSON text
};

struct Signal {
  Uuid workflow_id;
  Uuid user_id;  // the requester
  NodeSpec spec;
};

struct AddDecisions {
  Uuid user_id;
  Uuid node_id;
  std::vector<NodeSpec> decisions;
};

// The words of PUT /activities/:id/status/:word, after legacy aliases.
enum class StatusWord { processing, completed, errored, resolved, shutdown, canceled, deactivated };

struct ClientStatusUpdate {
  Uuid user_id;
  Uuid node_id;
  StatusWord word;
  std::string response = "{}";  // the client's response, JSON text
  std::string error = "null";   // response["error"], JSON text, for notifications
  // Set by in-engine activity actors: the send this report answers. A report
  // for an earlier attempt, or for a node no longer at work, changes nothing.
  std::optional<uint32_t> attempt = std::nullopt;
};

struct Restart { Uuid user_id; Uuid node_id; };
struct Reset { Uuid user_id; Uuid node_id; };
struct ScheduleNode { Uuid user_id; Uuid node_id; };

enum class WorkflowFlag { pause, resume, complete };
struct SetFlag { Uuid workflow_id; Uuid user_id; WorkflowFlag flag; };

struct TimerFired { Timer timer; };

// What became of a callback POST. attempt tells a late outcome of an earlier
// send from the current one.
struct CallbackOutcome {
  Uuid node_id;
  uint32_t attempt = 0;
  bool delivered = false;
  std::string error_message;  // when !delivered
};

// A node elsewhere named target as its parent_link_id, or finished.
struct LinkUpdate {
  Uuid target_node;
  Uuid link_node;
  bool finished = false;
  std::optional<Uuid> message_id = std::nullopt;  // the sender's record, done once applied
  // Who set parent_link_id; the target's owner must be them or have been
  // granted by them. Nil from records older than the check: let through.
  Uuid by_user = {};
};

}  // namespace ev

using Event = std::variant<ev::CreateWorkflow, ev::Signal, ev::AddDecisions, ev::ClientStatusUpdate,
                           ev::Restart, ev::Reset, ev::ScheduleNode, ev::SetFlag, ev::TimerFired,
                           ev::CallbackOutcome, ev::LinkUpdate>;

}  // namespace backbeat::engine
