#include "engine/status_machine.hpp"

#include <initializer_list>
#include <string>

namespace backbeat::engine {
namespace {

template <class S>
bool in(S s, std::initializer_list<S> set) {
  for (S x : set)
    if (x == s) return true;
  return false;
}

Error invalid_transition(Error::Kind kind, std::string_view field, std::string_view from,
                         std::string_view to) {
  Error e = make_error(kind, "Cannot transition " + std::string(field) + " from " +
                                 std::string(from) + " to " + std::string(to));
  e.details = {{"current_status", std::string(from)}, {"attempted_status", std::string(to)}};
  return e;
}

}  // namespace

bool client_transition_allowed(ClientStatus from, ClientStatus to) {
  using C = ClientStatus;
  switch (from) {
    case C::pending: return in(to, {C::ready, C::errored});
    case C::ready: return in(to, {C::received, C::errored});
    case C::received: return in(to, {C::processing, C::complete, C::errored});
    case C::processing: return in(to, {C::complete, C::errored});
    case C::errored: return in(to, {C::ready, C::errored, C::resolved, C::shutdown});
    case C::complete: return to == C::complete;
    case C::resolved:
    case C::shutdown: return false;
  }
  return false;
}

bool server_transition_allowed(ServerStatus from, ServerStatus to) {
  using S = ServerStatus;
  switch (from) {
    case S::pending: return in(to, {S::ready, S::deactivated, S::errored});
    case S::ready: return in(to, {S::started, S::deactivated, S::errored});
    case S::started: return in(to, {S::sent_to_client, S::paused, S::deactivated, S::errored});
    case S::sent_to_client:
      return in(to, {S::processing_children, S::retrying, S::retries_exhausted, S::deactivated,
                     S::errored});
    case S::processing_children: return in(to, {S::complete, S::deactivated, S::errored});
    case S::complete: return to == S::deactivated;
    case S::paused: return in(to, {S::started, S::deactivated, S::errored});
    case S::errored:
    case S::retrying: return in(to, {S::ready, S::deactivated, S::errored});
    case S::retries_exhausted:
      return in(to, {S::ready, S::deactivated, S::errored, S::processing_children});
    case S::deactivated: return to == S::deactivated;
  }
  return false;
}

Error invalid_client_transition(ClientStatus from, ClientStatus to) {
  return invalid_transition(Error::Kind::invalid_client_status_change, "current_client_status",
                            to_string(from), to_string(to));
}

Error invalid_server_transition(ServerStatus from, ServerStatus to) {
  return invalid_transition(Error::Kind::invalid_server_status_change, "current_server_status",
                            to_string(from), to_string(to));
}

}  // namespace backbeat::engine
