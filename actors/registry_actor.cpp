#include "actors/registry_actor.hpp"

#include <deque>
#include <iostream>
#include <unordered_map>
#include <unordered_set>

#include "actors/messages.hpp"
#include "actors/workflow_actor.hpp"

namespace backbeat::actors {
namespace {

struct Entry {
  caf::actor actor;
  uint64_t forwarded = 0;  // commands sent to this incarnation
};

struct State {
  const Services* svc = nullptr;
  std::unordered_map<Uuid, Entry> active;
  std::unordered_map<caf::actor_addr, Uuid> owners;
  std::unordered_map<Uuid, std::deque<Millis>> crashes;  // recent restarts
  // Crashed too often and left down: its next start must still wait for the
  // disk and resume in-flight work, whatever starts it.
  std::unordered_set<Uuid> left_down;
  static inline const char* name = "backbeat.registry";
};

using Self = caf::stateful_actor<State>;

Entry& ensure(Self* self, const Uuid& wf, bool recover) {
  auto& st = self->state;
  auto it = st.active.find(wf);
  if (it != st.active.end()) return it->second;
  recover = st.left_down.erase(wf) > 0 || recover;
  caf::actor a = spawn_workflow_actor(self, wf, st.svc, recover);
  st.svc->metrics.workflow_actors++;
  st.owners[a.address()] = wf;
  return st.active.emplace(wf, Entry{std::move(a), 0}).first->second;
}

// A workflow that keeps crashing is left down instead of spinning; its
// records stay on disk and the next command for it tries again.
bool may_restart(Self* self, const Uuid& wf) {
  auto& st = self->state;
  auto& times = st.crashes[wf];
  const Millis now = st.svc->clock();
  while (!times.empty() && times.front() < now - 60000) times.pop_front();
  times.push_back(now);
  return int(times.size()) <= st.svc->tunables.max_restarts_per_minute;
}

caf::behavior registry(Self* self, const Services* svc) {
  self->state.svc = svc;
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    auto owner = st.owners.find(dm.source);
    if (owner == st.owners.end()) return;  // passivated on purpose
    const Uuid wf = owner->second;
    st.owners.erase(owner);
    st.svc->metrics.workflow_actors--;
    st.active.erase(wf);
    if (!dm.reason || dm.reason == caf::exit_reason::normal) return;
    std::cerr << "[registry] workflow " << wf.str() << " crashed: " << to_string(dm.reason)
              << std::endl;
    if (!may_restart(self, wf)) {
      st.left_down.insert(wf);
      return;
    }
    st.svc->metrics.workflow_restarts++;
    ensure(self, wf, true);
  });
  self->set_exit_handler([=](caf::exit_msg& em) {
    for (auto& [wf, e] : self->state.active) self->send(e.actor, stop_atom::value);
    self->state.active.clear();
    self->state.owners.clear();
    self->quit(em.reason);
  });
  return {
      [=](route_atom, const Uuid& wf, engine::Event& event) {
        Entry& e = ensure(self, wf, false);
        ++e.forwarded;
        return self->delegate(e.actor, apply_atom::value, std::move(event));
      },
      [=](purge_atom, const Uuid& wf, Millis cutoff, const caf::actor& archiver) {
        // Through the workflow's own actor, like any change, so a purge never
        // races the workflow's processing.
        Entry& e = ensure(self, wf, false);
        ++e.forwarded;
        return self->delegate(e.actor, purge_atom::value, cutoff, archiver);
      },
      [=](recover_atom, const Uuid& wf) {
        // Already live (a timer or a request got there first): it resumes too.
        if (auto it = self->state.active.find(wf); it != self->state.active.end()) {
          ++it->second.forwarded;
          self->send(it->second.actor, recover_atom::value);
          return;
        }
        ensure(self, wf, true);
      },
      [=](idle_atom, const Uuid& wf, uint64_t received) {
        auto& st = self->state;
        auto it = st.active.find(wf);
        // Anything forwarded after the actor went idle is still in its
        // mailbox; then it stays.
        if (it == st.active.end() || it->second.forwarded != received) return;
        self->send(it->second.actor, stop_atom::value);
        st.owners.erase(it->second.actor.address());
        st.svc->metrics.workflow_actors--;
        st.active.erase(it);
      },
      [=](stats_atom) { return self->state.active.size(); },
      [=](lookup_atom, const Uuid& wf) {
        auto it = self->state.active.find(wf);
        return it == self->state.active.end() ? caf::actor{} : it->second.actor;
      },
  };
}

}  // namespace

caf::actor spawn_registry(caf::actor_system& system, const Services* svc) {
  return system.spawn(registry, svc);
}

}  // namespace backbeat::actors
