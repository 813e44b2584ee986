#include "tests/crash/load_driver.hpp"

#include <algorithm>

namespace backbeat::crash {
namespace {

using Clock = std::chrono::steady_clock;

// Activities a workflow of this shape completes when nothing is duplicated.
size_t expected_completions(Shape s) {
  switch (s) {
    case Shape::sequential: return 3;
    case Shape::fanout: return 5;
    case Shape::retries: return 3;
    case Shape::timers: return 3;
    case Shape::two_signals: return 3;
  }
  return 1;
}

// Past this a workflow stops holding a slot, so one slow workflow cannot
// starve the load; whether it completes is the final check's business.
constexpr auto kSlotTimeout = std::chrono::seconds(40);

}  // namespace

LoadDriver::LoadDriver(ResilientApi& api, Ledger& ledger, uint64_t seed, int concurrency)
    : api_(api),
      ledger_(ledger),
      rng_(seed),
      concurrency_(concurrency),
      nonce_(std::to_string(seed) + "-" + std::to_string(Clock::now().time_since_epoch().count())) {}

LoadDriver::~LoadDriver() { stop_starting(); }

void LoadDriver::start() {
  starting_ = true;
  pacer_ = std::thread([this] { pace(); });
}

void LoadDriver::stop_starting() {
  starting_ = false;
  if (pacer_.joinable()) pacer_.join();
  starters_.join_all();
}

bool LoadDriver::done(const InFlight& f) const {
  if (Clock::now() - f.began > kSlotTimeout) return true;
  const std::string id = ledger_.workflow_id(f.number);
  return !id.empty() && ledger_.completions(id) >= f.expected_completions;
}

void LoadDriver::pace() {
  while (starting_) {
    in_flight_.erase(std::remove_if(in_flight_.begin(), in_flight_.end(),
                                    [this](const InFlight& f) { return done(f); }),
                     in_flight_.end());
    while (in_flight_.size() < size_t(concurrency_)) {
      const WorkflowPlan plan = draw_plan(next_number_++, rng_);
      ledger_.workflow_planned(plan);
      in_flight_.push_back(InFlight{plan.number, expected_completions(plan.shape), Clock::now()});
      starters_.spawn([this, plan] { start_one(plan); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void LoadDriver::start_one(const WorkflowPlan& plan) {
  CallRecord create;
  create.kind = CallKind::create;
  create.workflow_no = plan.number;
  create.sent_at = wall_now_ms();
  create.reply = api_.call("POST", "/workflows", create_body(plan, nonce_));
  const bool created = create.reply.ok() && !create.reply.id().empty();
  if (created) {
    create.workflow_id = create.reply.id();
    ledger_.workflow_created(plan.number, create.workflow_id);
  }
  const std::string id = create.workflow_id;
  ledger_.add_call(std::move(create));
  if (!created) return;

  CallRecord signal;
  signal.kind = CallKind::signal;
  signal.workflow_no = plan.number;
  signal.workflow_id = id;
  signal.sent_at = wall_now_ms();
  signal.reply = api_.call("POST", "/workflows/" + id + "/signal/go", first_signal_body(plan));
  if (signal.reply.ok()) signal.created.push_back(signal.reply.id());
  ledger_.add_call(std::move(signal));
}

}  // namespace backbeat::crash
