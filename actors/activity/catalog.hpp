#pragma once
// The activity types a node can run, by name. Filled once at start-up
// (register_activities) and read-only afterwards, so every thread may read it.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "actors/activity/activity.hpp"
#include "engine/result.hpp"

namespace backbeat::activity {

// Makes the behaviour of one run's actor. Called on the runner's thread for
// every run; the actor is discarded when the run ends.
using Factory = std::function<caf::behavior(caf::event_based_actor*, const Env&)>;

// Judges a node's client_data when the decision naming the type arrives, so
// input the run could never use is a 400 to the decider rather than a
// retried error later. Optional.
using Check = std::function<Status(const Json& client_data, const Env&)>;

struct Definition {
  std::string name;  // what a decision's activity_type names
  Factory make;
  Check check;  // may be empty
};

class Catalog {
 public:
  // T is a type with
  //   static constexpr std::string_view name = "...";
  //   static caf::behavior make(caf::event_based_actor* self, const Env& env);
  // and, optionally,
  //   static Status check(const Json& client_data, const Env& env);
  template <class T>
  Status add() {
    Check check;
    if constexpr (requires(const Json& j, const Env& e) { T::check(j, e); }) check = &T::check;
    return add(Definition{std::string(T::name), &T::make, std::move(check)});
  }
  // Refuses a name that is taken or not a valid activity_type.
  Status add(Definition definition);

  const Definition* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, Definition, std::less<>> by_name_;
};

// Every activity type of this build: the built-ins, yours (add a line in
// catalog.cpp), and with test_kit the ones tests use to misbehave on purpose.
Status register_activities(Catalog& catalog, bool test_kit);

}  // namespace backbeat::activity
