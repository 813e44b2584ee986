#pragma once
// Commands fired at a node while it stops, and what became of each. Every
// probe is a workflow create with its own subject, so after the restart a
// lookup tells whether it was applied, whatever its sender heard:
// * answered 2xx: it must exist (persisted what it acknowledged);
// * sent after the node announced it was stopping: it must not be 2xx;
// * answered 503, or never connected: it must not exist;
// * connection lost after the request went out: it must not exist either,
//   since a command the node applied must be answered before it closes.
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/crash/resilient_api.hpp"

namespace backbeat::crash {

struct StopProbeFigures {
  size_t probes = 0;
  size_t accepted = 0;     // 2xx
  size_t turned_away = 0;  // 503
  size_t refused = 0;      // no connection
  size_t cut = 0;          // connection lost after the request went out
  std::string cut_sample;  // why, for one of them
  std::vector<std::string> problems;
};

class StopProber {
 public:
  using Clock = std::chrono::steady_clock;

  explicit StopProber(ResilientApi& api) : api_(api) {}
  ~StopProber() { stop(); }

  void start(int threads);
  void stop();
  // After the node is back: look every probe up and judge it. `stop_began`
  // is when the node said it was stopping.
  StopProbeFigures check(Clock::time_point stop_began);

 private:
  struct Probe {
    int index = 0;
    Clock::time_point sent;
    test::TestResponse answer;
  };
  void run();

  ResilientApi& api_;
  std::atomic<bool> running_{false};
  std::atomic<int> next_{0};
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::vector<Probe> probes_;
};

}  // namespace backbeat::crash
