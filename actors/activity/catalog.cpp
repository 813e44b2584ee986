#include "actors/activity/catalog.hpp"

#include "actors/activity/builtins.hpp"
#include "actors/activity/sum_amounts.hpp"
#include "actors/activity/test_kit.hpp"
#include "engine/engine.hpp"

namespace backbeat::activity {

Status Catalog::add(Definition definition) {
  if (!engine::valid_activity_type(definition.name) || !definition.make)
    return make_error(Error::Kind::startup,
                      "activity type '" + definition.name + "' has no valid name or factory");
  const std::string name = definition.name;
  if (!by_name_.emplace(name, std::move(definition)).second)
    return make_error(Error::Kind::startup, "activity type '" + name + "' is registered twice");
  return ok_status();
}

const Definition* Catalog::find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &it->second;
}

std::vector<std::string> Catalog::names() const {
  std::vector<std::string> out;
  for (const auto& entry : by_name_) out.push_back(entry.first);
  return out;
}

Status register_activities(Catalog& catalog, bool test_kit) {
  for (Status s : {catalog.add<HttpActivity>(), catalog.add<SleepActivity>(),
                   catalog.add<TransformActivity>(), catalog.add<SumAmounts>()})
    if (!s) return s;
  // Your activities: one line each, e.g. catalog.add<MyActivity>().
  return test_kit ? register_test_kit(catalog) : ok_status();
}

}  // namespace backbeat::activity
