#pragma once
// The workflow shapes of the crash load, as data. Everything a client needs
// to play a node travels in the node's own clientData, so the client is
// stateless about plans (as a real one is): a duplicate node created by a
// retried call carries the same instructions as the original, and the
// checks read the plan back from the server's copy.
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/model.hpp"

namespace backbeat::crash {

enum class Shape {
  sequential,   // decision -> 3 blocking activities, one after another
  fanout,       // decision -> 5 non_blocking activities at once
  retries,      // 2 blocking activities that error 1-2 times, then a non_blocking one that errors once
  timers,       // activities with fires_at 2-5 s ahead, blocking and non_blocking
  two_signals,  // the first decision signals the workflow again from inside its callback
};
inline constexpr int kShapeCount = 5;

const char* shape_name(Shape s);
// The retry interval of nodes that are told to error: short, so retries come
// due within a few seconds and therefore across kills.
inline constexpr int64_t kRetryIntervalS = 1;

// One workflow's choices, drawn from the test's seeded generator.
struct WorkflowPlan {
  uint64_t number = 0;
  Shape shape = Shape::sequential;
  bool inside = true;        // its client reports from inside callbacks
  int errors = 1;            // for `retries`: errors before success
  int64_t timer_ms = 2000;   // for timers: how far ahead fires_at is
};

WorkflowPlan draw_plan(uint64_t number, std::mt19937_64& rng);

// POST /workflows body; the subject makes each workflow its own.
std::string create_body(const WorkflowPlan& p, const std::string& run_nonce);
// POST /workflows/:id/signal/:name body for the first signal.
std::string first_signal_body(const WorkflowPlan& p);

// What the client does with one delivered node, read from its clientData.
struct NodePlan {
  bool decision = false;
  bool inside = true;        // report first, answer the POST last
  bool processing = false;   // report processing before the rest
  int errors = 0;            // report errored this many times, then completed
  std::optional<Millis> fires_at;
  bool signals_again = false;  // a decision that sends the workflow a second signal
};

NodePlan read_plan(const nlohmann::json& client_data, bool decision);

// The decisions a decision node posts: {"decisions":[...]}. `now` places timers.
std::string decisions_body(const nlohmann::json& decision_client_data, Millis now);
// The second signal a `two_signals` workflow sends itself.
std::string second_signal_body(const nlohmann::json& first_decision_client_data);

}  // namespace backbeat::crash
