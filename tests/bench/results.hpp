#pragma once
// What one scenario run measured, as plain values: the driver fills it, the
// report renders it, and neither needs the other's headers.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/bench/histogram.hpp"
#include "tests/bench/machine.hpp"
#include "tests/bench/scenario.hpp"

namespace backbeat::bench {

// The server and this process at one edge of the measured window.
struct Snapshot {
  std::chrono::steady_clock::time_point at;
  std::optional<ProcessSample> server;  // nullopt: no pid known, or it died
  std::optional<ProcessSample> self;
  std::vector<ThreadSample> server_threads;
  std::map<std::string, double> metrics;  // the server's /metrics
  double load_1m = -1;
};

struct ErrorCount {
  std::string key;     // "PUT completed: 409", "timeout", ...
  uint64_t count = 0;
  std::string sample;  // one detail, e.g. the error body
};

struct ScenarioResult {
  Scenario scenario;
  double window_s = 0;
  double target_rate = 0;  // 0: closed loop

  // Counted inside the window.
  uint64_t workflows_started = 0;
  uint64_t workflows_completed = 0;
  uint64_t decisions = 0;             // decision callbacks received
  uint64_t deliveries = 0;            // activity callbacks received, retries included
  uint64_t steps = 0;                 // activity deliveries answered with a 200 report
  uint64_t activities_completed = 0;  // of which PUT completed
  uint64_t api_calls = 0;
  uint64_t delayed_starts = 0;        // open loop: starts that waited for a free slot

  // Counted over the whole run, warm-up and drain included: every one is a
  // problem whenever it happened.
  uint64_t failed_workflows = 0;
  uint64_t timeouts = 0;
  uint64_t unfinished = 0;        // still in flight when the drain gave up
  uint64_t stray_callbacks = 0;   // for workflows the driver had already given up
  uint64_t notifications = 0;     // Backbeat gave up on a node (should be 0)
  std::vector<ErrorCount> errors;

  LatencySummary signal_to_decision;
  LatencySummary signal_to_activity;  // every delivery, retries included
  LatencySummary turnaround;          // report that released a node -> its callback
  LatencySummary signal_to_complete;  // -> the 200 of the last report
  LatencySummary api_call;            // any API call, send -> answer

  Snapshot start, end;
  bool server_alive = true;

  double per_second(uint64_t n) const { return window_s > 0 ? static_cast<double>(n) / window_s : 0; }
};

}  // namespace backbeat::bench
