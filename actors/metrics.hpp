#pragma once
// Counters and gauges a node exposes at /metrics (Prometheus text format),
// in place of the original's /sidekiq_stats. Plain atomics: every actor and
// HTTP thread updates them without coordination, and a scrape reads them.
#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "net/http_counters.hpp"
#include "storage/group_commit.hpp"

namespace backbeat::actors {

struct Metrics {
  using Counter = std::atomic<uint64_t>;
  using Gauge = std::atomic<int64_t>;

  std::array<Counter, 6> http_responses{};  // by status class: [1] = 1xx ... [5] = 5xx
  Gauge commands_in_flight{};                // API commands awaiting a workflow actor
  Counter commands_shed{};                   // refused with 503: too many in flight
  Counter workflow_commands_shed{};          // refused with 503: that workflow's backlog full
  Counter new_work_shed{};                   // refused with 503: its endpoint's callbacks backed up
  Counter user_commands_shed{};              // refused with 429: that user's commands quota
  Counter quota_refusals{};                  // refused with 413/409/429: another per-user quota
  Counter links_refused{};                   // link updates dropped: no grant for the target
  Counter reads_shed{};                      // refused with 503: the user's read queue full
  Counter reads_partial{};                   // listings answered partial: scan budget spent
  Counter events_applied{};                  // engine events a workflow accepted
  Counter events_refused{};                  // ... and refused (4xx to the caller)
  Gauge workflow_actors{};                   // live workflow actors
  Counter workflow_restarts{};               // crashed workflow actors brought back
  Gauge timers_armed{};                      // timers held in memory, due within the window
  Counter timers_fired{};
  Counter callbacks_sent{};
  Counter callbacks_failed{};                // non-2xx or no answer
  Counter callback_micros{};                 // total time until the client answered
  Gauge callbacks_in_flight{};                // admitted: on their way or queued for a slot
  Gauge callbacks_queued{};                  // waiting for a slot at their endpoint
  Counter callbacks_deferred{};              // left on disk: their queue was full
  Counter callbacks_redelivered{};           // workflows woken to offer deferred ones again
  Counter notifications_sent{};
  Counter notifications_failed{};            // attempts; each is retried
  Counter activities_started{};              // in-engine activity runs
  Counter activities_completed{};
  Counter activities_errored{};              // answered with an error, or crashed
  Counter activities_crashed{};              // ... of those: threw or stopped without answering
  Counter activities_timed_out{};            // stopped at their node's complete_by
  Gauge activities_running{};
  Counter retention_sweeps{};                // sweep steps run
  Counter retention_purged{};                // complete workflows deleted
  Counter retention_archived{};              // ... written to the archive first
  Counter retention_kept{};                  // candidates looked at and kept
  Counter retention_failed{};                // purges that failed (retried next pass)
  Gauge retention_last_sweep_ms{};           // how long the last sweep step took
  net::HttpServerCounters http_server;       // connections refused or cut off

  void count_response(int status) {
    const int cls = status / 100;
    if (cls >= 1 && cls <= 5) http_responses[size_t(cls)]++;
  }
};

// Prometheus text exposition of m plus the committer's figures.
std::string render_metrics(const Metrics& m, const storage::GroupCommitStats& commits);

}  // namespace backbeat::actors
