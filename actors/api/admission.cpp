#include "actors/api/admission.hpp"

#include <type_traits>

namespace backbeat::actors::api {
namespace {

bool starts_new_work(const engine::Event& event) {
  return std::visit(
      [](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, engine::ev::SetFlag>)
          return e.flag == engine::ev::WorkflowFlag::resume;
        else
          return std::is_same_v<E, engine::ev::Signal> || std::is_same_v<E, engine::ev::Restart> ||
                 std::is_same_v<E, engine::ev::ScheduleNode>;
      },
      event);
}

// The user the new nodes belong to: a signal may name another client.
std::optional<User> owner(const Services& svc, const User& requester, const engine::Event& event) {
  if (const auto* signal = std::get_if<engine::ev::Signal>(&event); signal && signal->spec.client_id)
    return svc.users->find(*signal->spec.client_id);
  return requester;
}

bool backed_up(const Services& svc, const User& user) {
  for (const std::string* url : {&user.decision_endpoint, &user.activity_endpoint})
    if (!url->empty() && svc.gate->saturated(*url)) return true;
  return false;
}

}  // namespace

std::optional<Error> refuse_new_work(const Services& svc, const User& requester,
                                     const engine::Event& event) {
  if (!starts_new_work(event)) return std::nullopt;
  // The requester's own backlog first: its workflows' callbacks, whoever's
  // endpoints they go to, count against it (and no one else).
  if (svc.quotas) {
    const int64_t limit = svc.quotas->of(requester.id).callbacks_queued;
    if (int64_t(svc.user_callbacks.in_flight(requester.id)) >= limit)
      return make_error(Error::Kind::user_quota,
                        "your workflows have " + std::to_string(limit) +
                            " callbacks queued or on their way (quotas.callbacks_queued); new "
                            "work is refused until they drain, retry shortly");
  }
  if (!svc.gate) return std::nullopt;
  auto user = owner(svc, requester, event);
  if (!user || !backed_up(svc, *user)) return std::nullopt;  // an unknown client_id is the engine's to refuse
  // Names whose endpoints only to the user they belong to.
  const std::string whose = user->id == requester.id ? "your" : "the receiving user's";
  return make_error(Error::Kind::callback_backlog,
                    "callbacks to " + whose +
                        " endpoints are backed up; new work is refused until they drain, "
                        "retry shortly");
}

}  // namespace backbeat::actors::api
