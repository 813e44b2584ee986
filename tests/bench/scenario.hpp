#pragma once
// The four workflow shapes the benchmark drives. A scenario is data, not
// code: the driver runs every one of them with the same state machine, so
// a new shape is a new table row.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace backbeat::bench {

struct Scenario {
  char letter = 'a';
  std::string name;         // also the workflow type, so runs are easy to tell apart
  std::string description;  // one line for the report
  int activities = 1;       // posted by the decision, all at once
  std::string mode = "blocking";  // blocking: one after another; non_blocking: all at once
  int retry = 0;            // retries the server may make per activity
  int errors_before_success = 0;  // the client reports errored this many times first

  // Deliveries per workflow the client answers: every attempt, retries included.
  int deliveries_per_workflow() const { return activities * (1 + errors_before_success); }
  // In sequential shapes every report releases the next callback; in a
  // fan-out only the decision's completion does (for the turnaround figure).
  bool sequential() const { return mode == "blocking"; }

  // {"decisions":[...]}: the body the fake client posts for the decision.
  std::string decisions_body() const;
};

const std::vector<Scenario>& all_scenarios();
std::optional<Scenario> scenario_by_letter(char letter);

// "a", "b,c", "all" -> scenarios in the order given; nullopt if a letter is
// unknown.
std::optional<std::vector<Scenario>> parse_scenarios(std::string_view spec);

}  // namespace backbeat::bench
