#include "tests/bench/scenario.hpp"

#include <nlohmann/json.hpp>

#include "net/contract/json_text.hpp"

namespace backbeat::bench {

std::string Scenario::decisions_body() const {
  nlohmann::json decisions = nlohmann::json::array();
  for (int i = 0; i < activities; ++i) {
    nlohmann::json d = {{"name", "step_" + std::to_string(i + 1)}, {"mode", mode}};
    if (retry > 0) {
      d["retry"] = retry;
      // 0: retry at once, so a retry storm measures the engine, not the clock.
      d["retry_interval"] = 0;
    }
    decisions.push_back(std::move(d));
  }
  return contract::dump_json(nlohmann::json{{"decisions", std::move(decisions)}});
}

const std::vector<Scenario>& all_scenarios() {
  static const std::vector<Scenario> scenarios = [] {
    std::vector<Scenario> s(4);
    s[0] = {'a', "sequential", "signal -> decision -> 3 blocking activities, one after another",
            3, "blocking", 0, 0};
    s[1] = {'b', "single", "signal -> decision -> 1 activity", 1, "blocking", 0, 0};
    s[2] = {'c', "fanout", "signal -> decision -> 20 non_blocking activities at once", 20,
            "non_blocking", 0, 0};
    s[3] = {'d', "retry_storm",
            "3 blocking activities, each errored twice (retry 2, retry_interval 0) then completed",
            3, "blocking", 2, 2};
    return s;
  }();
  return scenarios;
}

std::optional<Scenario> scenario_by_letter(char letter) {
  for (const auto& s : all_scenarios())
    if (s.letter == letter) return s;
  return std::nullopt;
}

std::optional<std::vector<Scenario>> parse_scenarios(std::string_view spec) {
  if (spec == "all") return all_scenarios();
  std::vector<Scenario> out;
  for (char c : spec) {
    if (c == ',' || c == ' ') continue;
    auto s = scenario_by_letter(c);
    if (!s) return std::nullopt;
    out.push_back(*s);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace backbeat::bench
