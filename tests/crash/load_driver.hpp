#pragma once
// Keeps a steady number of workflows in flight: whenever one is done (from
// the client's point of view: as many activities acknowledged complete as
// its shape has), the next starts. Each start (create, then the first
// signal) runs on its own thread, since it blocks while the server is down.
// Shapes and their parameters come from the test's seeded generator.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/crash/ledger.hpp"
#include "tests/crash/resilient_api.hpp"
#include "tests/crash/thread_group.hpp"

namespace backbeat::crash {

class LoadDriver {
 public:
  LoadDriver(ResilientApi& api, Ledger& ledger, uint64_t seed, int concurrency);
  ~LoadDriver();  // stop_starting()

  void start();
  // No new workflows; returns once every start already begun has finished.
  void stop_starting();
  uint64_t started() const { return next_number_.load(); }

 private:
  struct InFlight {
    uint64_t number = 0;
    size_t expected_completions = 0;
    std::chrono::steady_clock::time_point began;
  };

  void pace();
  void start_one(const WorkflowPlan& plan);
  bool done(const InFlight& f) const;

  ResilientApi& api_;
  Ledger& ledger_;
  std::mt19937_64 rng_;
  const int concurrency_;
  const std::string nonce_;
  std::atomic<bool> starting_{false};
  std::atomic<uint64_t> next_number_{0};
  std::vector<InFlight> in_flight_;  // the pacing thread's own
  ThreadGroup starters_;
  std::thread pacer_;
};

}  // namespace backbeat::crash
