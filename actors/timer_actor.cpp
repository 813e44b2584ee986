#include "actors/timer_actor.hpp"

#include <chrono>
#include <limits>
#include <set>

#include "actors/messages.hpp"
#include "engine/log.hpp"

namespace backbeat::actors {
namespace {

using tick_atom = caf::atom_constant<caf::atom("bb_tick")>;

// Far enough to hold a busy window; rescans bring in the rest.
constexpr size_t kScanLimit = 200000;

struct TimerState {
  TimerDeps deps;
  std::set<Timer> armed;  // ordered by due time first
  Millis horizon = 0;     // armed holds every stored timer due before this
  Millis wake_at = std::numeric_limits<Millis>::max();
  static inline const char* name = "backbeat.timers";
};

using TimerSelf = caf::stateful_actor<TimerState>;

void schedule_wake(TimerSelf* self) {
  auto& st = self->state;
  st.deps.metrics->timers_armed = int64_t(st.armed.size());
  if (st.armed.empty()) return;
  const Millis due = st.armed.begin()->due;
  if (due >= st.wake_at) return;  // an earlier wake-up is already on its way
  st.wake_at = due;
  const Millis delay = std::max<Millis>(0, due - st.deps.clock());
  self->delayed_send(self, std::chrono::milliseconds(delay), tick_atom::value);
}

void fire_due(TimerSelf* self) {
  auto& st = self->state;
  const Millis now = st.deps.clock();
  while (!st.armed.empty() && st.armed.begin()->due <= now) {
    Timer t = *st.armed.begin();
    st.armed.erase(st.armed.begin());
    st.deps.metrics->timers_fired++;
    // Anonymous: the workflow's answer must not come back here as a message.
    caf::anon_send(st.deps.registry, route_atom::value, t.workflow_id,
               engine::Event{engine::ev::TimerFired{t}});
  }
}

void rescan(TimerSelf* self) {
  auto& st = self->state;
  const Millis horizon =
      st.deps.clock() + std::chrono::milliseconds(st.deps.window).count();
  auto due = st.deps.store->timers_due_before(horizon, kScanLimit);
  if (!due) {
    log::error("timers", "rescan failed: " + due.error().message);
    return;
  }
  for (const Timer& t : *due) st.armed.insert(t);
  // A full page means more may be due: only trust the window up to the last one.
  st.horizon = due->size() == kScanLimit ? due->back().due : horizon;
}

caf::behavior timers(TimerSelf* self, TimerDeps deps) {
  self->state.deps = std::move(deps);
  return {
      [=](arm_atom, Timers& ts) {
        for (const Timer& t : ts)
          if (t.due < self->state.horizon) self->state.armed.insert(t);
        schedule_wake(self);
      },
      [=](disarm_atom, Timers& ts) {
        for (const Timer& t : ts) self->state.armed.erase(t);
        self->state.deps.metrics->timers_armed = int64_t(self->state.armed.size());
      },
      [=](tick_atom) {
        self->state.wake_at = std::numeric_limits<Millis>::max();
        fire_due(self);
        schedule_wake(self);
      },
      [=](rescan_atom) {
        rescan(self);
        schedule_wake(self);
        self->delayed_send(self, self->state.deps.rescan, rescan_atom::value);
      },
      [=](reload_atom) {
        rescan(self);
        schedule_wake(self);
      },
      [=](stats_atom) { return self->state.armed.size(); },
  };
}

}  // namespace

caf::actor spawn_timer_actor(caf::actor_system& system, TimerDeps deps) {
  return system.spawn<caf::lazy_init>(timers, std::move(deps));
}

// The first rescan loads what is due and schedules every later rescan.
void start_timer_actor(const caf::actor& timers) { caf::anon_send(timers, rescan_atom::value); }

}  // namespace backbeat::actors
