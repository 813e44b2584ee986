#pragma once
// The load generator. It keeps --concurrency workflows in flight (closed
// loop) or starts them at --rate (open loop), plays the client's side of
// each one through its callbacks, and times every hop. Each workflow has its
// own subject, so each is its own actor in the server.
//
// Threads: callbacks arrive on the fake client's I/O thread, API answers on
// the HTTP client's thread, and run() paces starts and expires late
// workflows on the caller's thread. One mutex guards the workflow tables;
// nothing blocks or does I/O while holding it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "tests/bench/api.hpp"
#include "tests/bench/fake_client.hpp"
#include "tests/bench/options.hpp"
#include "tests/bench/results.hpp"

namespace backbeat::bench {

class LoadDriver {
 public:
  using Clock = std::chrono::steady_clock;
  using Probe = std::function<Snapshot()>;        // server and self at a window edge
  using KeepGoing = std::function<bool()>;        // false: the server died, or Ctrl-C

  LoadDriver(Api& api, const Options& options, Probe probe, KeepGoing keep_going);
  // Stops the API client first: its answers call into this object.
  ~LoadDriver();
  LoadDriver(const LoadDriver&) = delete;
  LoadDriver& operator=(const LoadDriver&) = delete;

  // The fake client's sink.
  void on_callback(Callback cb);

  // Warm-up, measured window, drain. Blocks for the whole run. `rate` > 0
  // starts that many workflows a second (open loop); 0 keeps the
  // concurrency filled (closed loop).
  ScenarioResult run(const Scenario& scenario, double rate);

 private:
  struct Run;
  struct Flow;
  using FlowPtr = std::shared_ptr<Flow>;
  using OnOk = std::function<void(const net::HttpResult&)>;

  enum class Start { started, full, closed };
  Start start_flow();
  void on_created(const FlowPtr& f, const net::HttpResult& r);
  void on_decision(const FlowPtr& f, const Callback& cb);
  void on_activity(const FlowPtr& f, const Callback& cb);
  void complete_decision(const FlowPtr& f, const std::string& path, std::shared_ptr<Answer> answer);
  void maybe_complete(const FlowPtr& f);
  // A 2xx runs `on_ok` (unless the workflow was given up meanwhile);
  // anything else fails the workflow under `what`.
  void call(const FlowPtr& f, const char* what, const char* method, std::string path,
            std::string body, OnOk on_ok);
  // Ends a workflow: completed when `error_key` is empty.
  void finish(const FlowPtr& f, const std::string& error_key = {}, const std::string& detail = {});

  // The caller's thread between events: expire, top up, report progress.
  void drive(Clock::time_point until, const std::function<bool()>& done);
  void tick(Clock::time_point now);
  void progress(Clock::time_point now);
  ScenarioResult result_of(Run& run, double window_s, Snapshot start, Snapshot end);

  Api& api_;
  const Options& options_;
  Probe probe_;
  KeepGoing keep_going_;
  const std::string nonce_;  // keeps subjects unique across runs on one server

  std::mutex mu_;
  std::condition_variable changed_;
  // Every run stays allocated: late answers for an old run's workflows
  // still land in that run's tallies.
  std::vector<std::unique_ptr<Run>> runs_;
  Run* current_ = nullptr;
  std::unordered_map<uint64_t, FlowPtr> live_;                 // by sequence number
  std::unordered_map<std::string, FlowPtr> by_workflow_;       // once created
  uint64_t next_seq_ = 0;
  uint64_t measured_started_ = 0;
  uint64_t measured_finished_ = 0;
  std::atomic<bool> accepting_{false};  // new workflows may start
  std::atomic<bool> measuring_{false};  // inside the window
  std::atomic<double> rate_{0};         // of the current run

  // Pacing and progress, touched only by the caller's thread.
  Clock::time_point next_start_{};
  bool start_delayed_ = false;
  Clock::time_point run_began_{};
  Clock::time_point next_progress_{};
};

}  // namespace backbeat::bench
