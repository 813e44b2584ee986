#pragma once
// Counters and gauges a node exposes at /metrics (Prometheus text format),
// in place of the original's /sidekiq_stats. Plain atomics: every actor and
// HTTP thread updates them without coordination, and a scrape reads them.
#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace backbeat::actors {

struct Metrics {
  using Counter = std::atomic<uint64_t>;
  using Gauge = std::atomic<int64_t>;

  std::array<Counter, 6> http_responses{};  // by status class: [1] = 1xx ... [5] = 5xx
  Gauge commands_in_flight{};                // API commands awaiting a workflow actor
  Counter commands_shed{};                   // refused with 503: too many in flight
  Counter events_applied{};                  // engine events a workflow accepted
  Counter events_refused{};                  // ... and refused (4xx to the caller)
  Gauge workflow_actors{};                   // live workflow actors
  Counter workflow_restarts{};               // crashed workflow actors brought back
  Gauge timers_armed{};                      // timers held in memory, due within the window
  Counter timers_fired{};
  Counter callbacks_sent{};
  Counter callbacks_failed{};                // non-2xx or no answer
  Counter callback_micros{};                 // total time until the client answered
  Gauge callbacks_in_flight{};
  Counter notifications_sent{};
  Counter notifications_failed{};            // attempts; each is retried

  void count_response(int status) {
    const int cls = status / 100;
    if (cls >= 1 && cls <= 5) http_responses[size_t(cls)]++;
  }
};

// Prometheus text exposition of m plus the committer's figures.
std::string render_metrics(const Metrics& m, uint64_t commit_groups, uint64_t commit_batches,
                           uint64_t commit_max_group);

}  // namespace backbeat::actors
