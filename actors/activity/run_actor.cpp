#include "actors/activity/run_actor.hpp"

namespace backbeat::activity {

caf::behavior run_actor(caf::event_based_actor* self, const Definition* definition,
                        const Env* env) {
  self->set_exception_handler(exception_reason);
  return definition->make(self, *env);
}

caf::error exception_reason(caf::scheduled_actor*, std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return caf::make_error(caf::sec::runtime_error, std::string("threw: ") + x.what());
  } catch (...) {
    return caf::make_error(caf::sec::runtime_error, std::string("threw a non-exception"));
  }
}

std::string describe_exit(const caf::error& reason) {
  const caf::message& context = reason.context();
  if (context.match_elements<std::string>()) return context.get_as<std::string>(0);
  return "stopped: " + to_string(reason);
}

}  // namespace backbeat::activity
