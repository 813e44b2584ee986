#pragma once
// The activities every node offers. Each is written on the public API
// (activity.hpp) and nothing else, so each is also an example.
#include <string_view>

#include "actors/activity/activity.hpp"
#include "engine/result.hpp"

namespace backbeat::activity {

// Calls client_data.url (method, headers and body optional; the body
// defaults to the whole client_data) and completes with {status, body} on a
// 2xx; anything else is an error, retried like a client's.
// Only URLs under activities.http_allowed_urls (empty by default), and
// never a loopback, link-local or metadata address unless an entry names
// that address itself (docs/security.md).
struct HttpActivity {
  static constexpr std::string_view name = "http";
  static caf::behavior make(caf::event_based_actor* self, const Env& env);
  static Status check(const Json& client_data, const Env& env);
};

// Completes client_data.seconds after the node was sent, without holding a
// thread. For waits of minutes or more, a node's fires_at is the durable way.
struct SleepActivity {
  static constexpr std::string_view name = "sleep";
  static caf::behavior make(caf::event_based_actor* self, const Env& env);
};

// Reshapes client_data.input into the shape of client_data.output, whose
// string leaves are JSON pointers into the input ("/invoice/total").
struct TransformActivity {
  static constexpr std::string_view name = "transform";
  static caf::behavior make(caf::event_based_actor* self, const Env& env);
};

}  // namespace backbeat::activity
