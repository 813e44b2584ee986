#include "actors/activity/activity.hpp"

namespace backbeat::activity {

Outcome completed(Json response) { return Outcome{true, std::move(response)}; }

Outcome errored(const std::string& message, Json details) {
  Json error = details.is_object() ? std::move(details) : Json::object();
  error["message"] = message;
  return Outcome{false, Json{{"error", std::move(error)}}};
}

void processing(caf::event_based_actor* self, const Job& job) {
  self->send(job.runner, progress_atom::value, RunKey{job.node_id, job.attempt});
}

}  // namespace backbeat::activity
