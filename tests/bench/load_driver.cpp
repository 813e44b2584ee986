#include "tests/bench/load_driver.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>

#include <nlohmann/json.hpp>

#include "net/contract/json_text.hpp"

namespace backbeat::bench {
namespace {

using Clock = LoadDriver::Clock;

constexpr const char* kDecidedBody = R"({"response":{"result":"decided"}})";
constexpr const char* kResultBody = R"({"response":{"result":"done"}})";
constexpr const char* kErrorBody = R"({"response":{"error":{"message":"bench: planned failure"}}})";

std::string make_nonce() {
  std::random_device rd;
  std::mt19937_64 gen(rd() ^ static_cast<uint64_t>(Clock::now().time_since_epoch().count()));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(gen()));
  return buf;
}

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

bool succeeded(const net::HttpResult& r) { return r.transport_ok && r.status >= 200 && r.status < 300; }

}  // namespace

// One scenario's tallies. Counters marked "window" only move while
// measuring; failures count whenever they happen.
struct LoadDriver::Run {
  explicit Run(const Scenario& s) : scenario(s), decisions_body(s.decisions_body()) {}

  const Scenario scenario;
  const std::string decisions_body;
  std::atomic<uint64_t> started{0}, completed{0}, decisions{0}, deliveries{0}, steps{0},
      activities_completed{0}, api_calls{0}, delayed_starts{0};  // window
  std::atomic<uint64_t> failed{0}, timeouts{0}, unfinished{0}, stray{0}, notifications{0};
  LatencyHistogram signal_to_decision, signal_to_activity, turnaround, signal_to_complete, api_call;
  std::mutex errors_mu;
  std::map<std::string, ErrorCount> errors;
};

// One workflow's client-side state; every field is guarded by mu_.
struct LoadDriver::Flow {
  struct Attempts {
    int deliveries = 0;
    bool completed = false;
  };
  Run* run = nullptr;
  uint64_t seq = 0;
  size_t gateway = 0;  // every call of this workflow goes through this member
  bool measured = false;  // started inside the window: its latencies count
  Clock::time_point deadline;
  std::string workflow_id;
  Clock::time_point signal_at{};
  Clock::time_point release_at{};  // the report that released the next callback
  bool decision_done = false;
  int activities_done = 0;
  std::unordered_map<std::string, Attempts> activities;
  bool finished = false;
};

LoadDriver::LoadDriver(Api& api, const Options& options, Probe probe, KeepGoing keep_going)
    : api_(api), options_(options), probe_(std::move(probe)), keep_going_(std::move(keep_going)),
      nonce_(make_nonce()) {}

LoadDriver::~LoadDriver() { api_.stop(); }

void LoadDriver::call(const FlowPtr& f, const char* what, const char* method, std::string path,
                      std::string body, OnOk on_ok) {
  Run& run = *f->run;
  if (measuring_) ++run.api_calls;
  const auto sent = Clock::now();
  api_.send(f->gateway, method, std::move(path), std::move(body),
            [this, f, what, sent, on_ok = std::move(on_ok)](net::HttpResult r) {
              if (measuring_) f->run->api_call.record(Clock::now() - sent);
              if (!succeeded(r)) return finish(f, failure_key(what, r), failure_detail(r));
              {
                std::lock_guard lock(mu_);
                if (f->finished) return;
              }
              on_ok(r);
            });
}

LoadDriver::Start LoadDriver::start_flow() {
  auto f = std::make_shared<Flow>();
  {
    std::lock_guard lock(mu_);
    if (!accepting_ || !current_) return Start::closed;
    f->measured = measuring_;
    if (options_.workflows > 0 && f->measured && measured_started_ >= options_.workflows)
      return Start::closed;
    // Checked here, under the lock, because completions restart workflows
    // from the HTTP client's thread while tick() tops up from another.
    if (live_.size() >= static_cast<size_t>(options_.concurrency)) return Start::full;
    if (f->measured) ++measured_started_;
    f->run = current_;
    f->seq = next_seq_++;
    f->gateway = static_cast<size_t>(f->seq % api_.gateways());
    f->deadline = Clock::now() + seconds(options_.flow_timeout_s);
    live_.emplace(f->seq, f);
  }
  if (measuring_) ++f->run->started;
  const nlohmann::json body = {{"workflow_type", f->run->scenario.name},
                               {"subject", {{"bench", nonce_}, {"n", f->seq}}},
                               {"decider", "BenchDecider"}};
  call(f, "POST /workflows", "POST", "/workflows", contract::dump_json(body),
       [this, f](const net::HttpResult& r) { on_created(f, r); });
  return Start::started;
}

void LoadDriver::on_created(const FlowPtr& f, const net::HttpResult& r) {
  auto json = contract::parse_json_text(r.body, "workflow");
  if (!json || !json->is_object() || !(*json)["id"].is_string())
    return finish(f, "POST /workflows: no id", failure_detail(r));
  const std::string id = (*json)["id"].get<std::string>();
  {
    std::lock_guard lock(mu_);
    if (f->finished) return;
    f->workflow_id = id;
    by_workflow_[id] = f;
    // Before the POST: the decision callback may beat the signal's answer.
    f->signal_at = Clock::now();
  }
  const std::string body = R"({"options":{"client_data":{"n":)" + std::to_string(f->seq) + "}}}";
  call(f, "signal", "POST", "/workflows/" + id + "/signal/go", body, [](const net::HttpResult&) {});
}

void LoadDriver::on_callback(Callback cb) {
  FlowPtr f;
  {
    std::lock_guard lock(mu_);
    if (auto it = by_workflow_.find(cb.workflow_id); it != by_workflow_.end()) f = it->second;
    else if (current_) ++current_->stray;
  }
  if (!f) return;  // cb.answer, if any, answers as it goes
  switch (cb.kind) {
    case Callback::Kind::notification:
      ++f->run->notifications;
      return finish(f, "notification (node gave up)", "node " + cb.node_id);
    case Callback::Kind::decision:
      return on_decision(f, cb);
    case Callback::Kind::activity:
      return on_activity(f, cb);
  }
}

// The client's answer to a decision: [processing ->] decisions -> completed.
void LoadDriver::on_decision(const FlowPtr& f, const Callback& cb) {
  Run& run = *f->run;
  if (measuring_) ++run.decisions;
  {
    std::lock_guard lock(mu_);
    if (f->finished) return;
    if (f->measured) run.signal_to_decision.record(cb.received_at - f->signal_at);
  }
  const std::string path = "/activities/" + cb.node_id;
  auto post_decisions = [this, f, path, answer = cb.answer] {
    call(f, "POST decisions", "POST", path + "/decisions", f->run->decisions_body,
         [this, f, path, answer](const net::HttpResult&) { complete_decision(f, path, answer); });
  };
  if (!options_.report_processing) return post_decisions();
  call(f, "PUT decision processing", "PUT", path + "/status/processing", "",
       [post_decisions](const net::HttpResult&) { post_decisions(); });
}

void LoadDriver::complete_decision(const FlowPtr& f, const std::string& path,
                                   std::shared_ptr<Answer> answer) {
  {
    std::lock_guard lock(mu_);
    f->release_at = Clock::now();  // every first activity follows this report
  }
  call(f, "PUT decision completed", "PUT", path + "/status/completed", kDecidedBody,
       [this, f, answer](const net::HttpResult&) {
         {
           std::lock_guard lock(mu_);
           f->decision_done = true;
         }
         maybe_complete(f);
         if (answer) answer->answer();
       });
}

void LoadDriver::on_activity(const FlowPtr& f, const Callback& cb) {
  Run& run = *f->run;
  if (measuring_) ++run.deliveries;
  bool error = false;
  {
    std::lock_guard lock(mu_);
    if (f->finished) return;
    auto& attempts = f->activities[cb.node_id];
    error = ++attempts.deliveries <= run.scenario.errors_before_success;
    if (f->measured) {
      run.signal_to_activity.record(cb.received_at - f->signal_at);
      run.turnaround.record(cb.received_at - f->release_at);
    }
    if (error || run.scenario.sequential()) f->release_at = Clock::now();
  }
  const std::string path = "/activities/" + cb.node_id + (error ? "/status/errored" : "/status/completed");
  call(f, error ? "PUT activity errored" : "PUT activity completed", "PUT", path,
       error ? kErrorBody : kResultBody,
       [this, f, node = cb.node_id, error, answer = cb.answer](const net::HttpResult&) {
         Run& run = *f->run;
         if (measuring_) ++run.steps;
         if (!error) {
           bool first = false;
           {
             std::lock_guard lock(mu_);
             auto& attempts = f->activities[node];
             first = !attempts.completed;
             attempts.completed = true;
             if (first) ++f->activities_done;
           }
           if (first && measuring_) ++run.activities_completed;
         }
         maybe_complete(f);
         if (answer) answer->answer();
       });
}

// The server completes the decision in the same atomic step as its last
// child, before answering that child's report: the 200 of the last report
// is the workflow's durable completion, no polling needed.
void LoadDriver::maybe_complete(const FlowPtr& f) {
  bool done = false;
  {
    std::lock_guard lock(mu_);
    done = !f->finished && f->decision_done && f->activities_done == f->run->scenario.activities;
  }
  if (done) finish(f);
}

void LoadDriver::finish(const FlowPtr& f, const std::string& error_key, const std::string& detail) {
  Run& run = *f->run;
  const bool ok = error_key.empty();
  {
    std::lock_guard lock(mu_);
    if (f->finished) return;
    f->finished = true;
    live_.erase(f->seq);
    if (!f->workflow_id.empty()) by_workflow_.erase(f->workflow_id);
    if (f->measured) ++measured_finished_;
    if (ok && f->measured) run.signal_to_complete.record(Clock::now() - f->signal_at);
  }
  if (ok) {
    if (measuring_) ++run.completed;
  } else {
    ++run.failed;
    std::lock_guard lock(run.errors_mu);
    auto& e = run.errors[error_key];
    e.key = error_key;
    if (e.count++ == 0) e.sample = detail;
  }
  changed_.notify_all();
  // Closed loop: a finished workflow makes room for the next at once. After
  // a failure the next tick refills, so a dead server is not hammered.
  if (ok && rate_ <= 0) start_flow();
}

void LoadDriver::tick(Clock::time_point now) {
  std::vector<FlowPtr> late;
  {
    std::lock_guard lock(mu_);
    for (const auto& [seq, f] : live_)
      if (f->deadline <= now) late.push_back(f);
  }
  for (const auto& f : late) {
    ++f->run->timeouts;
    finish(f, "timeout", "not completed within --flow-timeout");
  }
  if (rate_ <= 0) {
    while (start_flow() == Start::started) {
    }
    return;
  }
  // Open loop: starts are due on a fixed schedule; one that finds every
  // slot taken waits (counted once) and the schedule catches up later.
  const auto interval = seconds(1.0 / rate_);
  while (next_start_ <= now) {
    const Start s = start_flow();
    if (s == Start::closed) return;
    if (s == Start::full) {
      if (!start_delayed_ && measuring_) ++current_->delayed_starts;
      start_delayed_ = true;
      return;
    }
    start_delayed_ = false;
    next_start_ += interval;
  }
}

void LoadDriver::progress(Clock::time_point now) {
  if (options_.quiet || now < next_progress_) return;
  next_progress_ = now + std::chrono::seconds(1);
  size_t in_flight = 0;
  {
    std::lock_guard lock(mu_);
    in_flight = live_.size();
  }
  const Run& run = *current_;
  std::fprintf(stderr, "  [%c] %5.1fs %s in-flight %zu  completed %llu  steps %llu  failed %llu\n",
               run.scenario.letter, std::chrono::duration<double>(now - run_began_).count(),
               measuring_ ? "measuring" : "         ", in_flight,
               static_cast<unsigned long long>(run.completed.load()),
               static_cast<unsigned long long>(run.steps.load()),
               static_cast<unsigned long long>(run.failed.load()));
}

void LoadDriver::drive(Clock::time_point until, const std::function<bool()>& done) {
  // Often enough to pace a few thousand starts a second and to expire late
  // workflows promptly; the rest of the time the work happens on callbacks.
  constexpr auto kTick = std::chrono::milliseconds(20);
  for (;;) {
    const auto now = Clock::now();
    tick(now);
    progress(now);
    if (now >= until || done() || !keep_going_()) return;
    auto wake = std::min(until, now + kTick);
    if (rate_ > 0 && accepting_ && !start_delayed_) wake = std::min(wake, next_start_);
    std::unique_lock lock(mu_);
    changed_.wait_until(lock, wake);
  }
}

ScenarioResult LoadDriver::run(const Scenario& scenario, double rate) {
  Run* run = nullptr;
  rate_ = rate;
  {
    std::lock_guard lock(mu_);
    runs_.push_back(std::make_unique<Run>(scenario));
    run = current_ = runs_.back().get();
    measured_started_ = measured_finished_ = 0;
  }
  const auto never = [] { return false; };
  run_began_ = next_start_ = Clock::now();
  next_progress_ = run_began_ + std::chrono::seconds(1);
  start_delayed_ = false;
  accepting_ = true;
  drive(run_began_ + seconds(options_.warmup_s), never);

  Snapshot start = probe_();
  const auto window_begin = Clock::now();
  measuring_ = true;
  if (options_.workflows > 0) {
    drive(Clock::time_point::max(), [this] {
      std::lock_guard lock(mu_);
      return measured_started_ >= options_.workflows && measured_finished_ >= measured_started_;
    });
  } else {
    drive(window_begin + seconds(options_.duration_s), never);
  }
  measuring_ = false;
  const auto window_end = Clock::now();
  accepting_ = false;
  Snapshot end = probe_();

  drive(Clock::now() + seconds(options_.drain_s), [this] {
    std::lock_guard lock(mu_);
    return live_.empty();
  });
  std::vector<FlowPtr> left;
  {
    std::lock_guard lock(mu_);
    for (const auto& [seq, f] : live_) left.push_back(f);
  }
  for (const auto& f : left) {
    ++run->unfinished;
    finish(f, "unfinished after --drain", "still in flight when the drain ended");
  }
  return result_of(*run, std::chrono::duration<double>(window_end - window_begin).count(),
                   std::move(start), std::move(end));
}

ScenarioResult LoadDriver::result_of(Run& run, double window_s, Snapshot start, Snapshot end) {
  ScenarioResult r;
  r.scenario = run.scenario;
  r.window_s = window_s;
  r.target_rate = rate_;
  r.workflows_started = run.started;
  r.workflows_completed = run.completed;
  r.decisions = run.decisions;
  r.deliveries = run.deliveries;
  r.steps = run.steps;
  r.activities_completed = run.activities_completed;
  r.api_calls = run.api_calls;
  r.delayed_starts = run.delayed_starts;
  r.failed_workflows = run.failed;
  r.timeouts = run.timeouts;
  r.unfinished = run.unfinished;
  r.stray_callbacks = run.stray;
  r.notifications = run.notifications;
  {
    std::lock_guard lock(run.errors_mu);
    for (const auto& [key, e] : run.errors) r.errors.push_back(e);
  }
  std::sort(r.errors.begin(), r.errors.end(),
            [](const ErrorCount& a, const ErrorCount& b) { return a.count > b.count; });
  r.signal_to_decision = run.signal_to_decision.summary();
  r.signal_to_activity = run.signal_to_activity.summary();
  r.turnaround = run.turnaround.summary();
  r.signal_to_complete = run.signal_to_complete.summary();
  r.api_call = run.api_call.summary();
  r.start = std::move(start);
  r.end = std::move(end);
  return r;
}

}  // namespace backbeat::bench
