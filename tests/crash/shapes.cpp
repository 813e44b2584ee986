#include "tests/crash/shapes.hpp"

#include "net/contract/iso_time.hpp"

namespace backbeat::crash {
namespace {

using nlohmann::json;

// A child's instructions. A node that is not meant to fail still gets a
// short retry interval: should a callback fail unexpectedly, the node comes
// back in a second (and the error count check reports it) instead of in 20
// minutes.
json child(const json& parent, int step, const char* mode, int errors, std::optional<Millis> fires_at,
           bool processing) {
  const bool parent_inside = parent.value("inside", true);
  json data = {{"wf", parent.value("wf", uint64_t{0})},
               {"step", step},
               {"inside", step % 2 == 1 ? parent_inside : !parent_inside},
               {"processing", processing},
               {"errors", errors}};
  json d = {{"name", "step_" + std::to_string(step)},
            {"mode", mode},
            {"retry", errors + 4},
            {"retry_interval", kRetryIntervalS}};
  if (fires_at) {
    data["fires_at_ms"] = *fires_at;
    d["fires_at"] = contract::format_iso8601_ms(*fires_at);
  }
  d["client_data"] = std::move(data);
  return d;
}

}  // namespace

const char* shape_name(Shape s) {
  switch (s) {
    case Shape::sequential: return "sequential";
    case Shape::fanout: return "fanout";
    case Shape::retries: return "retries";
    case Shape::timers: return "timers";
    case Shape::two_signals: return "two_signals";
  }
  return "?";
}

WorkflowPlan draw_plan(uint64_t number, std::mt19937_64& rng) {
  WorkflowPlan p;
  p.number = number;
  p.shape = static_cast<Shape>(std::uniform_int_distribution<int>(0, kShapeCount - 1)(rng));
  p.inside = std::bernoulli_distribution(0.7)(rng);
  p.errors = std::uniform_int_distribution<int>(1, 2)(rng);
  p.timer_ms = std::uniform_int_distribution<int64_t>(2000, 5000)(rng);
  return p;
}

std::string create_body(const WorkflowPlan& p, const std::string& run_nonce) {
  return json{{"workflow_type", std::string("crash_") + shape_name(p.shape)},
              {"subject", {{"run", run_nonce}, {"wf", p.number}}},
              {"decider", "CrashDecider"}}
      .dump();
}

std::string first_signal_body(const WorkflowPlan& p) {
  const json data = {{"wf", p.number},         {"shape", shape_name(p.shape)},
                     {"inside", p.inside},     {"errors", p.errors},
                     {"timer_ms", p.timer_ms}, {"signal", "first"},
                     {"processing", true}};
  return json{{"options", {{"client_data", data}}}, {"retry", 3}, {"retry_interval", kRetryIntervalS}}
      .dump();
}

std::string second_signal_body(const json& first) {
  json data = first;
  data["signal"] = "second";
  data["inside"] = !first.value("inside", true);
  data["processing"] = false;
  return json{{"options", {{"client_data", data}}}, {"retry", 3}, {"retry_interval", kRetryIntervalS}}
      .dump();
}

NodePlan read_plan(const json& data, bool decision) {
  NodePlan p;
  p.decision = decision;
  if (!data.is_object()) return p;
  p.inside = data.value("inside", true);
  p.processing = data.value("processing", false);
  if (decision) {
    p.signals_again = data.value("shape", "") == shape_name(Shape::two_signals) &&
                      data.value("signal", "") == "first";
    return p;
  }
  p.errors = data.value("errors", 0);
  if (auto it = data.find("fires_at_ms"); it != data.end() && it->is_number_integer())
    p.fires_at = it->get<Millis>();
  return p;
}

std::string decisions_body(const json& d, Millis now) {
  const std::string shape = d.value("shape", "");
  const int errors = d.value("errors", 1);
  const Millis timer = d.value("timer_ms", int64_t{2000});
  json list = json::array();
  if (shape == shape_name(Shape::sequential)) {
    for (int i = 1; i <= 3; ++i) list.push_back(child(d, i, "blocking", 0, {}, i == 2));
  } else if (shape == shape_name(Shape::fanout)) {
    for (int i = 1; i <= 5; ++i) list.push_back(child(d, i, "non_blocking", 0, {}, i % 2 == 0));
  } else if (shape == shape_name(Shape::retries)) {
    list.push_back(child(d, 1, "blocking", errors, {}, false));
    list.push_back(child(d, 2, "blocking", errors, {}, true));
    list.push_back(child(d, 3, "non_blocking", 1, {}, false));
  } else if (shape == shape_name(Shape::timers)) {
    // The non_blocking timer first: the walk starts it and moves on, so
    // both timers run at once.
    list.push_back(child(d, 1, "non_blocking", 0, now + timer / 2, false));
    list.push_back(child(d, 2, "blocking", 0, now + timer, true));
    list.push_back(child(d, 3, "blocking", 0, {}, false));
  } else if (d.value("signal", "") == "first") {  // two_signals
    list.push_back(child(d, 1, "blocking", 0, {}, true));
  } else {
    list.push_back(child(d, 1, "blocking", 1, {}, false));
    list.push_back(child(d, 2, "non_blocking", 0, now + timer, false));
  }
  return json{{"decisions", std::move(list)}}.dump();
}

}  // namespace backbeat::crash
