#include "actors/registry_actor.hpp"

#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "actors/messages.hpp"
#include "actors/workflow_actor.hpp"
#include "engine/log.hpp"
#include "engine/placement.hpp"

namespace backbeat::actors {
namespace {

struct Entry {
  caf::actor actor;
  uint64_t forwarded = 0;  // commands sent to this incarnation
};

struct RegistryState {
  const Services* svc = nullptr;
  std::unordered_map<Uuid, Entry> active;
  std::unordered_map<caf::actor_addr, Uuid> owners;
  std::unordered_map<Uuid, std::deque<Millis>> crashes;  // recent restarts
  // Crashed too often and left down: its next start must still wait for the
  // disk and resume in-flight work, whatever starts it.
  std::unordered_set<Uuid> left_down;
  // Partitions on their way to another member (docs/cluster.md): no actor of
  // theirs runs here, and whoever asks for one waits for the disk first.
  std::unordered_set<uint32_t> fenced;
  struct Eviction {
    size_t left = 0;
    caf::response_promise promise;
  };
  std::unordered_map<uint32_t, Eviction> evicting;
  std::unordered_map<caf::actor_addr, uint32_t> evicted;  // actor -> its partition
  static inline const char* name = "backbeat.registry";
};

using RegistrySelf = caf::stateful_actor<RegistryState>;

Entry& ensure(RegistrySelf* self, const Uuid& wf, bool recover) {
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
bool may_restart(RegistrySelf* self, const Uuid& wf) {
  auto& st = self->state;
  auto& times = st.crashes[wf];
  const Millis now = st.svc->clock();
  while (!times.empty() && times.front() < now - 60000) times.pop_front();
  times.push_back(now);
  return int(times.size()) <= st.svc->tunables.max_restarts_per_minute;
}

// In a cluster, only the partition's owner acts on a workflow: a member
// that lost it (a move) or is handing it over refuses, and the sender's
// retry finds the new owner (ARCHITECTURE "Cluster").
std::optional<Error> not_ours(RegistrySelf* self, const Uuid& wf) {
  const ClusterLink* cluster = self->state.svc->cluster;
  if (!cluster) return std::nullopt;
  const uint32_t partition = partition_of_workflow(wf, cluster->partitions());
  if (self->state.fenced.count(partition))
    return make_error(Error::Kind::partition_unavailable,
                      "partition " + std::to_string(partition) + " is moving");
  const Placement where = cluster->place(partition);
  if (where.kind == Placement::Kind::local) return std::nullopt;
  return make_error(Error::Kind::partition_unavailable,
                    "partition " + std::to_string(partition) + " is owned by " + where.owner);
}

// Stops every live actor of `partition`; the promise is kept once all of
// them have quit, which they do only when their batches are durable.
void evict(RegistrySelf* self, uint32_t partition, caf::response_promise promise) {
  auto& st = self->state;
  const uint32_t partitions = st.svc->cluster ? st.svc->cluster->partitions() : 1;
  auto& eviction = st.evicting[partition];
  eviction.promise = std::move(promise);
  for (auto it = st.active.begin(); it != st.active.end();) {
    if (partition_of_workflow(it->first, partitions) != partition) {
      ++it;
      continue;
    }
    const caf::actor actor = it->second.actor;
    st.owners.erase(actor.address());
    st.evicted[actor.address()] = partition;
    ++eviction.left;
    st.svc->metrics.workflow_actors--;
    self->send(actor, stop_atom::value);
    it = st.active.erase(it);
  }
  if (eviction.left == 0) {
    eviction.promise.deliver(true);
    st.evicting.erase(partition);
  }
}

caf::behavior registry(RegistrySelf* self, const Services* svc) {
  self->state.svc = svc;
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    if (auto gone = st.evicted.find(dm.source); gone != st.evicted.end()) {
      auto eviction = st.evicting.find(gone->second);
      st.evicted.erase(gone);
      if (eviction != st.evicting.end() && --eviction->second.left == 0) {
        eviction->second.promise.deliver(true);
        st.evicting.erase(eviction);
      }
      return;
    }
    auto owner = st.owners.find(dm.source);
    if (owner == st.owners.end()) return;  // passivated on purpose
    const Uuid wf = owner->second;
    st.owners.erase(owner);
    st.svc->metrics.workflow_actors--;
    st.active.erase(wf);
    if (!dm.reason || dm.reason == caf::exit_reason::normal) return;
    log::error("registry", "workflow " + wf.str() + " crashed: " + to_string(dm.reason));
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
      [=](route_atom, const Uuid& wf, engine::Event& event) -> caf::result<CommandResult> {
        if (auto refusal = not_ours(self, wf)) return CommandResult{*refusal, {}, {}};
        Entry& e = ensure(self, wf, false);
        ++e.forwarded;
        self->delegate(e.actor, apply_atom::value, std::move(event));
        return caf::delegated<CommandResult>{};
      },
      [=](fence_atom, uint32_t partition, bool on) -> caf::result<bool> {
        if (!on) {
          self->state.fenced.erase(partition);
          return true;
        }
        self->state.fenced.insert(partition);
        auto promise = self->make_response_promise();
        evict(self, partition, promise);
        return promise;
      },
      [=](purge_atom, const Uuid& wf, Millis cutoff,
          const caf::actor& archiver) -> caf::result<CommandResult> {
        if (auto refusal = not_ours(self, wf)) return CommandResult{*refusal, {}, {}};
        // Through the workflow's own actor, like any change, so a purge never
        // races the workflow's processing.
        Entry& e = ensure(self, wf, false);
        ++e.forwarded;
        self->delegate(e.actor, purge_atom::value, cutoff, archiver);
        return caf::delegated<CommandResult>{};
      },
      [=](recover_atom, const Uuid& wf) {
        if (not_ours(self, wf)) return;
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
