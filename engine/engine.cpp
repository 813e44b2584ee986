#include "engine/engine.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

#include "engine/handlers.hpp"
#include "engine/steps.hpp"
#include "engine/txn.hpp"

namespace backbeat::engine {
namespace {

// Bounds a cascade so a rule bug cannot spin an actor forever.
constexpr size_t kMaxJobsPerEvent = 100000;

using Originals = std::unordered_map<Uuid, std::optional<Node>>;

Status run_job(Txn& t, const Job& job) {
  switch (job.kind) {
    case Job::Kind::schedule_next: return schedule_next(t, job.node);
    case Job::Kind::start_node: return start_node(t, *job.node);
    case Job::Kind::retry_node: {
      const Node* n = t.find(*job.node);
      if (!n || n->server_status != ServerStatus::retrying) return ok_status();
      return retry_node(t, *job.node);
    }
  }
  return ok_status();
}

// Each follow-up runs in its own Txn: when one fails, only it is undone and
// its node goes to errored with a "Server Error" notification
// (docs/contract.md §6 ServerError).
void run_jobs(WorkflowState& state, const Context& ctx, std::deque<Job>& jobs, Effects& effects,
              Originals& originals) {
  size_t ran = 0;
  while (!jobs.empty()) {
    if (++ran > kMaxJobsPerEvent) {
      effects.warnings.push_back("job limit reached; remaining follow-ups dropped");
      return;
    }
    Job job = jobs.front();
    jobs.pop_front();
    Txn t(state, ctx);
    if (Status s = run_job(t, job)) {
      t.commit(effects, jobs, originals);
      continue;
    }
    else {
      const std::string why = s.error().message;
      effects.warnings.push_back(why);
      if (!job.node || !state.find(*job.node)) continue;
      Txn recovery(state, ctx);
      if (server_error(recovery, *job.node, why))
        recovery.commit(effects, jobs, originals);
      else
        effects.warnings.push_back("could not record server error on " + job.node->str());
    }
  }
}

template <class T>
void append_missing(std::vector<T>& to, const std::vector<T>& from, const std::vector<T>& unless) {
  for (const T& x : from)
    if (std::find(unless.begin(), unless.end(), x) == unless.end()) to.push_back(x);
}

// Timers and in-flight markers follow from how each changed node moved.
void derive_index_changes(const WorkflowState& state, const Originals& originals, Effects& e) {
  std::vector<Timer> still_armed;
  for (const Uuid& id : e.changed_nodes) {
    const std::optional<Node>& before = originals.at(id);
    const Node& after = *state.find(id);
    const std::vector<Timer> old_timers = before ? timers_of(*before) : std::vector<Timer>{};
    const std::vector<Timer> new_timers = timers_of(after);
    append_missing(e.timers_cleared, old_timers, new_timers);
    append_missing(e.timers_set, new_timers, old_timers);
    still_armed.insert(still_armed.end(), new_timers.begin(), new_timers.end());
    const bool was_pending = before && before->callback_pending;
    if (after.callback_pending && !was_pending) e.inflight_set.push_back(id);
    if (!after.callback_pending && was_pending) e.inflight_cleared.push_back(id);
  }
  // A fired timer is done unless its node still wants exactly that timer
  // (e.g. it fired early because a clock stepped back), changed or not.
  std::erase_if(e.timers_cleared, [&](const Timer& t) {
    if (std::find(still_armed.begin(), still_armed.end(), t) != still_armed.end()) return true;
    const Node* n = state.find(t.node_id);
    if (!n) return false;
    const std::vector<Timer> wanted = timers_of(*n);
    return std::find(wanted.begin(), wanted.end(), t) != wanted.end();
  });
  std::sort(e.timers_cleared.begin(), e.timers_cleared.end());
  e.timers_cleared.erase(std::unique(e.timers_cleared.begin(), e.timers_cleared.end()),
                         e.timers_cleared.end());
}

}  // namespace

Result<Outcome> apply(WorkflowState& state, const Event& event, const Context& ctx) {
  Effects effects;
  std::deque<Job> jobs;
  Originals originals;
  Txn t(state, ctx);
  Result<Reply> reply = std::visit([&](const auto& e) { return on_event(t, e); }, event);
  if (!reply) return reply.error();
  t.commit(effects, jobs, originals);
  run_jobs(state, ctx, jobs, effects, originals);
  derive_index_changes(state, originals, effects);
  return Outcome{std::move(reply).value(), std::move(effects)};
}

std::vector<Timer> timers_of(const Node& n) {
  std::vector<Timer> out;
  using S = ServerStatus;
  if (n.server_status == S::started && n.client_status == ClientStatus::ready)
    out.push_back({n.fires_at, n.workflow_id, n.id, TimerKind::start_node});
  if (n.server_status == S::retrying)
    out.push_back({n.fires_at, n.workflow_id, n.id, TimerKind::retry});
  if (n.at_client() && n.complete_by)
    out.push_back({*n.complete_by, n.workflow_id, n.id, TimerKind::deadline});
  return out;
}

Millis retry_delay_ms(int64_t retry_interval_s, int32_t n, double jitter, int64_t cap_s) {
  if (retry_interval_s <= 0) return 0;
  const double base_ms = double(retry_interval_s) * 1000.0 * std::ldexp(1.0, std::max(0, n - 1));
  const double cap_ms = double(cap_s) * 1000.0;
  return Millis(std::min(base_ms * jitter, cap_ms));
}

bool valid_activity_type(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
      return false;
  return true;
}

}  // namespace backbeat::engine
