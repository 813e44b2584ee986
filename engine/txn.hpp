#pragma once
// A unit of change inside one engine step: copy-on-write over the workflow
// state, so a failed step leaves no trace. Internal to the engine.
#include <deque>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/effects.hpp"
#include "engine/engine.hpp"
#include "engine/workflow_state.hpp"

namespace backbeat::engine {

// Follow-up work the original ran asynchronously. Here it runs after the
// step that caused it, each in its own Txn, so a failing follow-up turns into
// a server error on its node instead of failing the client's request.
struct Job {
  enum class Kind { schedule_next, start_node, retry_node };
  Kind kind;
  std::optional<Uuid> node;  // nullopt: the workflow itself (schedule_next only)
};

// Which row goes first when both fields change (docs/contract.md §6, last
// paragraph).
enum class RowOrder { client_first, server_first };

class Txn {
 public:
  Txn(WorkflowState& state, const Context& ctx);

  const Context& ctx() const { return ctx_; }
  Millis now() const { return ctx_.now; }

  bool has_workflow() const { return workflow_.has_value(); }
  const Workflow& workflow() const { return *workflow_; }
  Workflow& mutable_workflow();
  void create_workflow(Workflow w);

  const Node* find(const Uuid& id) const;
  Node& mut(const Uuid& id);  // precondition: find(id) != nullptr
  Node& create(Node n);
  std::vector<Uuid> children_of(const std::optional<Uuid>& parent) const;  // seq order
  std::vector<Uuid> all_nodes() const;                                     // seq order
  std::vector<Uuid> descendants_of(const Uuid& id) const;

  // Validates the client field first, then the server field
  // (docs/contract.md §5.3), and writes nothing unless both are legal.
  Status transition(const Uuid& id, std::optional<ClientStatus> client,
                    std::optional<ServerStatus> server, std::string_view response = "{}",
                    RowOrder order = RowOrder::client_first);
  Status deactivate(const Uuid& id);

  void enqueue(Job j) { jobs_.push_back(std::move(j)); }
  void callback(const Uuid& id, uint32_t attempt) { effects_.callbacks.push_back({id, attempt}); }
  void notify(const Uuid& id, std::string message, std::string error) {
    effects_.notifications.push_back({id, std::move(message), std::move(error)});
  }
  void link(const Node& link_node, bool finished) {
    effects_.links.push_back({*link_node.parent_link_id, link_node.id, finished, link_node.created_by});
  }
  void timer_done(const Timer& t) { effects_.timers_cleared.push_back(t); }
  void message_done(const Uuid& id) { effects_.messages_done.push_back(id); }
  void warn(std::string text) { effects_.warnings.push_back(std::move(text)); }
  void refuse_link(std::string why) {
    ++effects_.links_refused;
    warn(std::move(why));
  }

  // Moves the changes into the state; the effects and jobs into the caller's.
  void commit(Effects& into, std::deque<Job>& jobs,
              std::unordered_map<Uuid, std::optional<Node>>& originals);

 private:
  WorkflowState& state_;
  const Context& ctx_;
  std::optional<Workflow> workflow_;
  bool workflow_dirty_ = false;
  std::unordered_map<Uuid, Node> modified_;
  std::deque<Node> created_;  // a deque keeps references from create() valid
  std::vector<Uuid> touched_;  // modified or created, in order of first touch
  uint32_t past_statuses_ = 0;  // words reached by rows of this Txn, any node
  Effects effects_;
  std::deque<Job> jobs_;
};

}  // namespace backbeat::engine
