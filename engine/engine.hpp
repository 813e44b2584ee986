#pragma once
// The workflow rules as one pure function: state + event -> new state + effects.
// No clock, randomness or I/O inside: the caller passes them in the Context,
// so every rule is replayable and unit-testable in microseconds.
#include <functional>
#include <string_view>

#include "engine/effects.hpp"
#include "engine/events.hpp"
#include "engine/result.hpp"
#include "engine/tenant_policy.hpp"
#include "engine/workflow_state.hpp"

namespace backbeat::engine {

// The configurable parts of the rules (docs/contract.md §15, §19).
struct Rules {
  int64_t client_timeout_s = 172800;  // deadline when client_data has no "timeout"
  int64_t max_retry_delay_s = 3600;   // cap of the retry back-off
  int32_t default_retries = 6;
  int64_t default_retry_interval_s = 1200;
};

struct Context {
  Millis now = 0;
  UuidGenerator* ids = nullptr;
  std::function<double()> jitter;  // a factor in [0.8, 1.2]; nullptr means 1.0
  Rules rules;
  const TenantPolicy* policy = nullptr;  // null: every tenant may involve any, no node limit
};

// Applies e. On success the state has moved and the outcome says what to
// persist and do; on error the state is exactly as it was.
Result<Outcome> apply(WorkflowState& state, const Event& e, const Context& ctx);

// The timers a node in this state needs. Timers are derived, never stored
// apart from the node's own fields, so a reloaded workflow re-arms exactly
// what it had.
std::vector<Timer> timers_of(const Node& n);

// Back-off before retry number n (1-based) of a node: retry_interval x 2^(n-1)
// with jitter, capped (docs/contract.md §19; the original's exponent was off by
// one).
Millis retry_delay_ms(int64_t retry_interval_s, int32_t n, double jitter, int64_t cap_s);

// An activity_type a node may name: 1-64 of a-z, 0-9, '_', '-', '.'. Kept
// narrow because the name appears in URLs of docs, logs and metrics.
bool valid_activity_type(std::string_view name);

}  // namespace backbeat::engine
