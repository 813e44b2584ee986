#pragma once
// What every actor of a node shares: the store, the committer, the callback
// client, the user directory and the rules. Owned by the node bootstrap,
// which outlives the actor system's actors.
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <random>
#include <string_view>

#include <caf/all.hpp>

#include "actors/activity/catalog.hpp"
#include "actors/cluster_link.hpp"
#include "actors/command_backlog.hpp"
#include "actors/metrics.hpp"
#include "actors/quotas.hpp"
#include "actors/retention_settings.hpp"
#include "actors/timer_actor.hpp"
#include "actors/user_directory.hpp"
#include "net/endpoint_gate.hpp"
#include "net/http_client.hpp"
#include "engine/engine.hpp"
#include "storage/group_commit.hpp"
#include "storage/store.hpp"

namespace backbeat::actors {

// Random version-4 ids from the kernel's CSPRNG (actors/secrets.hpp), safe
// to share between threads: each thread draws from its own buffer, so an id
// costs a copy, and a getrandom call every few hundred ids.
class RandomUuids final : public UuidGenerator {
 public:
  Uuid next() override;
};

struct Tunables {
  std::chrono::milliseconds callback_connect_timeout{5000};
  std::chrono::milliseconds callback_timeout{60000};
  std::chrono::seconds passivate_after{30};  // idle workflow actors leave memory
  std::chrono::seconds timer_window{600};    // timers held in memory ahead of time
  std::chrono::seconds timer_rescan{60};
  std::chrono::seconds request_timeout{30};  // gateway -> workflow actor
  int64_t max_commands_in_flight = 20000;    // beyond this the API answers 503
  int64_t max_commands_per_workflow = 1000;  // ... and beyond this, for that workflow
  std::chrono::seconds callback_rescan{10};  // deferred callbacks are looked for on disk
  int max_restarts_per_minute = 5;           // per workflow, then it stays down
  size_t max_activities_running = 1000;      // in-engine runs at once; more wait their turn
};

struct Services {
  storage::Store* store = nullptr;
  storage::GroupCommitter* committer = nullptr;
  net::HttpClient* http = nullptr;
  // Every call to a client endpoint (callbacks, notifications) goes through
  // it: per-endpoint concurrency and bounded queues.
  net::EndpointGate* gate = nullptr;
  UserDirectory* users = nullptr;
  UuidGenerator* ids = nullptr;
  // Grants and quotas (docs/security.md); the policy is what the engine
  // asks, the book what the API counts against.
  const engine::TenantPolicy* policy = nullptr;
  const QuotaBook* quotas = nullptr;
  std::function<Millis()> clock;
  std::function<double()> jitter;
  engine::Rules rules;
  Tunables tunables;
  RetentionSettings retention;
  // In-engine activities (activity/activity.hpp): what may run and with what.
  const activity::Catalog* activities = nullptr;
  const activity::Env* activity_env = nullptr;
  // The cluster (docs/cluster.md); null on a single node: every partition local.
  const ClusterLink* cluster = nullptr;
  // The operator's drain switch: /heartbeat.txt answers 503 while it is on,
  // so a load balancer takes the node out without any request being dropped.
  // Persisted (meta "draining"), so a restarted node stays out until undrained.
  mutable std::atomic<bool> draining{false};
  mutable Metrics metrics;
  // Set when the node starts to stop: new commands get 503 while those in
  // flight finish, so no client sees a reset for a change that was applied.
  mutable std::atomic<bool> stopping{false};
  mutable CommandBacklog backlog;  // API commands in flight per workflow
  mutable CommandBacklog user_commands;  // ... and per requesting user
  // Callbacks queued or on their way, per owner of the workflow they belong
  // to: a node handed to another user counts against the workflow's owner.
  mutable CommandBacklog user_callbacks;
  // Set once at start-up, before any request is served.
  caf::actor registry;
  caf::actor timers;
  caf::actor notifier;
  caf::actor redelivery;  // offers deferred callbacks again
  caf::actor sweeper;  // retention; null while retention is off
  caf::actor activity_runner;

  engine::Context context() const {
    return engine::Context{clock(), ids, jitter, rules, policy};
  }
};

Millis wall_clock_ms();

// What the timer actor takes of the node's services; the registry must be
// spawned already.
inline TimerDeps timer_deps(const Services& svc) {
  return TimerDeps{svc.store, svc.registry, svc.clock, &svc.metrics, svc.tunables.timer_window,
                   svc.tunables.timer_rescan};
}

inline constexpr std::string_view kDrainingMetaKey = "draining";

}  // namespace backbeat::actors
