#pragma once
// Test fixture for the pure workflow engine: a repeatable id generator, a
// clock that only moves when told, jitter fixed at 1.0, one-line helpers for
// every event, and readable renderings of the effects so that assertions
// compare short strings ("S pending>ready, C pending>ready") rather than
// structs.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "engine/status_machine.hpp"

namespace backbeat::engine::test {

using S = ServerStatus;
using C = ClientStatus;
using W = ev::StatusWord;
using Kind = Error::Kind;

inline constexpr Millis kSec = 1000;
inline constexpr Millis kT0 = 1'700'000'000'000;  // the fixture's initial "now"

// Ids 00000000-0000-4000-0000-00000000000n, n = 1, 2, ... in creation order.
class CountingIds final : public UuidGenerator {
 public:
  Uuid next() override { return Uuid{0x0000000000004000ull, ++count_}; }
  uint64_t count() const { return count_; }

 private:
  uint64_t count_ = 0;
};

// A NodeSpec built fluently: Spec("a").mode(Mode::non_blocking).retries(0).
struct Spec {
  NodeSpec s;
  explicit Spec(std::string name) { s.name = std::move(name); }
  Spec& type(std::string t) { s.type = std::move(t); return *this; }
  Spec& mode(Mode m) { s.mode = m; return *this; }
  Spec& fires_at(Millis t) { s.fires_at = t; return *this; }
  Spec& retries(int32_t n) { s.retries = n; return *this; }
  Spec& interval(int64_t seconds) { s.retry_interval_s = seconds; return *this; }
  Spec& client(Uuid id) { s.client_id = id; return *this; }
  Spec& link(Uuid target) { s.parent_link_id = target; return *this; }
  Spec& timeout(int64_t seconds) { s.timeout_s = seconds; return *this; }
  Spec& activity(std::string activity_type) { s.activity_type = std::move(activity_type); return *this; }
  Spec& statuses(std::optional<S> server, std::optional<C> client) {
    s.server_status = server;
    s.client_status = client;
    return *this;
  }
  operator NodeSpec() const { return s; }  // NOLINT: implicit by design
};

// "pending/ready" and friends.
std::string status_pair(S server, C client);
// Every field of a node / workflow, for "the state did not move" checks.
std::string dump(const Node& n);
std::string dump(const Workflow& w);

struct EngineFixture {
  CountingIds ids;
  Context ctx;
  WorkflowState state;
  const Uuid user{0x1, 0x1};
  const Uuid other_user{0x2, 0x2};
  const Uuid wf{0x3, 0x3};
  Outcome last;  // the outcome of the latest successful apply

  EngineFixture();

  // ---- applying events ----
  Result<Outcome> attempt(const Event& e);
  // Requires success; keeps and returns the outcome.
  const Outcome& ok(const Event& e);
  // Requires an error and that the state did not move at all.
  Error fails(const Event& e);
  void advance(Millis ms) { ctx.now += ms; }
  Millis now() const { return ctx.now; }

  // ---- workflow events ----
  const Outcome& create();
  Uuid signal(const NodeSpec& spec = Spec("sig"));
  std::vector<Uuid> decide(const Uuid& parent, const std::vector<NodeSpec>& specs);
  Uuid decide(const Uuid& parent, const NodeSpec& spec);
  const Outcome& set_flag(ev::WorkflowFlag f);

  // ---- node events ----
  ev::ClientStatusUpdate word(const Uuid& node, W w, std::string response = "{}",
                              std::string error = "null") const;
  const Outcome& report(const Uuid& node, W w, std::string response = "{}",
                        std::string error = "null");
  const Outcome& restart(const Uuid& node);
  const Outcome& reset(const Uuid& node);
  const Outcome& schedule(const Uuid& node);
  // Fires the timer of that kind the node currently wants (required to exist).
  const Outcome& fire(TimerKind kind, const Uuid& node);
  const Outcome& delivered(const Uuid& node);
  const Outcome& undeliverable(const Uuid& node, std::string message);

  // ---- scenarios ----
  // A created workflow whose first signal "sig" is at the client.
  Uuid sent_signal();
  // A created workflow whose signal posted these children and completed, so
  // the children are now scheduled. Returns the children; sig holds the signal.
  std::vector<Uuid> running_children(const std::vector<NodeSpec>& specs);
  // One activity at the client (sent, attempt 1) under a completed signal.
  Uuid sent_activity(const NodeSpec& spec = Spec("a"));
  Uuid sig;  // set by sent_signal / running_children / sent_activity

  // ---- the state ----
  const Node& node(const Uuid& id) const;
  std::string status(const Uuid& id) const;  // "server/client"
  std::string name(const Uuid& id) const;    // the node's name, or its id
  Uuid node_user(const Uuid& id) const;      // the node's owner (requester of node events)
  std::string snapshot() const;              // the whole state, every field
  Timer timer(TimerKind kind, const Uuid& node, Millis due) const;
  std::vector<Timer> timers(const Uuid& node) const { return timers_of(this->node(node)); }

  // ---- the latest effects, rendered ----
  std::string rows(const Uuid& node) const;            // "S pending>ready, C pending>ready"
  std::string rows_with_response(const Uuid& node) const;  // "... {response}"
  std::string all_rows() const;                        // "a S pending>ready, b C ..."
  std::string callbacks() const;                       // "a#1, b#2"
  std::string notifications() const;                   // "a Client Error {...}"
  std::string links() const;                           // "a->b registered|finished"
  std::string timers_set() const { return render(last.effects.timers_set); }
  std::string timers_cleared() const { return render(last.effects.timers_cleared); }
  std::string inflight_set() const { return names(last.effects.inflight_set); }
  std::string inflight_cleared() const { return names(last.effects.inflight_cleared); }
  std::string changed() const { return names(last.effects.changed_nodes); }
  std::string render(const std::vector<Timer>& ts) const;  // "retry a @+1200s"
  std::string render(const Timer& t) const;
  std::string names(const std::vector<Uuid>& ids) const;
};

// An illegal-transition error: kind, class, message and both statuses.
void check_transition_error(const Error& e, bool server_field, std::string_view from,
                            std::string_view to);

}  // namespace backbeat::engine::test
