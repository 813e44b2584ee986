#include "actors/activity/test_kit.hpp"

#include <stdexcept>

namespace backbeat::activity {
namespace {

struct Throw {
  static constexpr std::string_view name = "test.throw";
  static caf::behavior make(caf::event_based_actor*, const Env&) {
    return {[](run_atom, const Job& job) -> Outcome {
      throw std::runtime_error("test.throw was asked to fail on attempt " +
                               std::to_string(job.attempt));
    }};
  }
};

struct Exit {
  static constexpr std::string_view name = "test.exit";
  static caf::behavior make(caf::event_based_actor* self, const Env&) {
    return {[self](run_atom, const Job&) {
      self->quit(caf::make_error(caf::sec::runtime_error, std::string("test.exit quit")));
    }};
  }
};

struct Hang {
  static constexpr std::string_view name = "test.hang";
  static caf::behavior make(caf::event_based_actor* self, const Env&) {
    return {[self](run_atom, const Job&) -> caf::result<Outcome> {
      return self->make_response_promise();  // never delivered
    }};
  }
};

}  // namespace

Status register_test_kit(Catalog& catalog) {
  for (Status s : {catalog.add<Throw>(), catalog.add<Exit>(), catalog.add<Hang>()})
    if (!s) return s;
  return ok_status();
}

}  // namespace backbeat::activity
