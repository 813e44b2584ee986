#include "actors/retention_actor.hpp"

#include <algorithm>
#include <deque>
#include <unordered_set>
#include <utility>
#include <vector>

#include "actors/archive_actor.hpp"
#include "actors/messages.hpp"
#include "actors/purge_plan.hpp"
#include "actors/retention_sweep.hpp"
#include "engine/log.hpp"
#include "engine/placement.hpp"

namespace backbeat::actors {
namespace {

// Purges waiting on workflow actors at once: enough to share fsyncs, few
// enough that live requests never queue behind a sweep.
constexpr size_t kPurgesInFlight = 8;
// Between the steps of one pass over a long queue.
constexpr std::chrono::milliseconds kNextStepAfter{200};
// The first sweep after start-up, unless the interval is shorter.
constexpr std::chrono::seconds kFirstSweepAfter{30};

using Waiters = std::vector<std::function<void(const SweepReport&)>>;

struct Sweep {
  SweepReport report;
  std::deque<Uuid> to_purge;
  size_t in_flight = 0;
  Waiters waiters;
};

struct RetentionState {
  const Services* svc = nullptr;
  caf::actor archiver;       // null: no archive
  std::string resume_after;  // the pass goes on after this queue entry
  std::optional<Sweep> current;
  Waiters next_waiters;  // asked while a step ran: answered by the next
  std::optional<SweepReport> last;
  static inline const char* name = "backbeat.retention";
};

using RetentionSelf = caf::stateful_actor<RetentionState>;

void start(RetentionSelf* self, Waiters waiters);

void finish(RetentionSelf* self) {
  auto& st = self->state;
  Sweep sweep = std::move(*st.current);
  st.current.reset();
  SweepReport& r = sweep.report;
  r.finished_at = st.svc->clock();
  Metrics& m = st.svc->metrics;
  m.retention_sweeps++;
  m.retention_purged += r.purged;
  m.retention_kept += r.kept;
  m.retention_failed += r.failed;
  m.retention_last_sweep_ms = r.finished_at - r.started_at;
  if (r.purged > 0 || r.failed > 0 || !r.error.empty())
    log::write(r.error.empty() ? log::Level::info : log::Level::warning, "retention",
               "purged " + std::to_string(r.purged) + ", kept " + std::to_string(r.kept) +
                   ", failed " + std::to_string(r.failed) + " of " + std::to_string(r.examined) +
                   " in " + std::to_string(r.finished_at - r.started_at) + " ms" +
                   (r.error.empty() ? "" : "; stopped: " + r.error));
  st.last = r;
  for (auto& done : sweep.waiters) done(r);
  if (!st.next_waiters.empty()) return start(self, std::exchange(st.next_waiters, {}));
  if (r.more) self->delayed_send(self, kNextStepAfter, sweep_next_atom::value, false);
}

void on_answer(RetentionSelf* self, const Uuid& wf, const std::optional<Error>& error) {
  auto& st = self->state;
  Sweep& sweep = *st.current;
  --sweep.in_flight;
  if (!error) {
    ++sweep.report.purged;
  } else if (is_retained(*error)) {
    ++sweep.report.kept;
  } else {
    ++sweep.report.failed;
    log::warning("retention", "workflow " + wf.str() + " not purged: " + error->message);
  }
}

// Keeps up to kPurgesInFlight purges going; ends the step when none is left.
void pump(RetentionSelf* self) {
  auto& st = self->state;
  Sweep& sweep = *st.current;
  while (sweep.in_flight < kPurgesInFlight && !sweep.to_purge.empty()) {
    const Uuid wf = sweep.to_purge.front();
    sweep.to_purge.pop_front();
    ++sweep.in_flight;
    self->request(st.svc->registry, st.svc->tunables.request_timeout, purge_atom::value, wf,
                  sweep.report.cutoff, st.archiver)
        .then(
            [=](CommandResult& r) {
              on_answer(self, wf, r.error);
              pump(self);
            },
            [=](caf::error& e) {
              on_answer(self, wf, make_error(Error::Kind::unavailable, to_string(e)));
              pump(self);
            });
  }
  if (sweep.in_flight == 0 && sweep.to_purge.empty()) finish(self);
}

// Reads what to look at, drops what the store already shows must stay, and
// asks the workflow actors about the rest.
void start(RetentionSelf* self, Waiters waiters) {
  auto& st = self->state;
  const Services& svc = *st.svc;
  Sweep& sweep = st.current.emplace();
  sweep.waiters = std::move(waiters);
  SweepReport& r = sweep.report;
  r.started_at = svc.clock();
  r.cutoff = r.started_at - Millis(svc.retention.completed_after.count()) * 1000;
  auto step = next_candidates(*svc.store, st.resume_after, r.cutoff, svc.retention.batch_size);
  if (!step) {
    r.error = "cannot read the retention queue: " + step.error().message;
    return finish(self);
  }
  // Read once per step, not per workflow: the outbox can be long while an
  // endpoint is down.
  Result<std::unordered_set<Uuid>> busy = std::unordered_set<Uuid>{};
  if (!step->candidates.empty()) busy = workflows_with_undelivered(*svc.store);
  if (!busy) {
    r.error = "cannot read the outbox: " + busy.error().message;
    return finish(self);
  }
  st.resume_after = step->resume_after;
  r.more = step->more;
  // A cluster member's store may hold copies of partitions it does not own
  // (arriving in a move, or left by one and being deleted): their owner
  // sweeps them, never this member.
  const std::vector<bool> owned = svc.cluster ? svc.cluster->owned_partitions() : std::vector<bool>{};
  for (const Uuid& wf : step->candidates) {
    if (svc.cluster) {
      const uint32_t p = partition_of_workflow(wf, svc.cluster->partitions());
      if (p >= owned.size() || !owned[p]) continue;
    }
    ++r.examined;
    if (busy->count(wf)) {
      ++r.kept;
      continue;
    }
    auto why = stored_blocker(*svc.store, wf, r.cutoff);
    if (!why) {
      ++r.failed;
      log::error("retention", "cannot read " + wf.str() + ": " + why.error().message);
    } else if (*why) {
      ++r.kept;
    } else {
      sweep.to_purge.push_back(wf);
    }
  }
  pump(self);
}

void sweep_unless_busy(RetentionSelf* self) {
  if (!self->state.current && !self->state.svc->stopping) start(self, {});
}

// Linked: it stops with us (a purge waiting on it then fails and keeps its
// workflow), and if it dies on its own a new one takes over.
void start_archiver(RetentionSelf* self) {
  const Services* svc = self->state.svc;
  self->state.archiver = spawn_archiver(
      self->system(), svc->clock, &svc->metrics.retention_archived, svc->retention.archive_dir);
  self->link_to(self->state.archiver);
}

caf::behavior retention(RetentionSelf* self, const Services* svc) {
  self->state.svc = svc;
  if (!svc->retention.archive_dir.empty()) start_archiver(self);
  self->set_exit_handler([=](caf::exit_msg& em) {
    if (self->state.archiver && em.source == self->state.archiver.address()) {
      log::warning("retention", "archiver stopped (" + to_string(em.reason) + "); restarting it");
      return start_archiver(self);
    }
    self->quit(em.reason);
  });
  self->delayed_send(
      self, std::min<std::chrono::seconds>(kFirstSweepAfter, svc->retention.sweep_interval),
      sweep_next_atom::value, true);
  return {
      // periodic: the interval's tick, which re-arms itself; otherwise the
      // next step of a pass.
      [=](sweep_next_atom, bool periodic) {
        if (periodic)
          self->delayed_send(self, self->state.svc->retention.sweep_interval,
                             sweep_next_atom::value, true);
        sweep_unless_busy(self);
      },
      [=](sweep_atom, SweepRequest& request) {
        if (self->state.current) return self->state.next_waiters.push_back(std::move(request.done));
        start(self, {std::move(request.done)});
      },
      [=](stats_atom, RetentionStatusRequest& request) {
        request.done(RetentionStatus{self->state.current.has_value(), self->state.last});
      },
  };
}

}  // namespace

caf::actor spawn_retention(caf::actor_system& system, const Services* svc) {
  // Its store reads would otherwise take a worker the workflows need.
  return system.spawn<caf::detached>(retention, svc);
}

}  // namespace backbeat::actors
