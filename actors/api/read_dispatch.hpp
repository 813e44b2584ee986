#pragma once
// Runs a matched route's handler in its lane (routing.hpp): here, on the
// thread that has the request, or on the read pool (read_pool.hpp) in the
// queue of the user asking. A user whose queue is full is answered 503
// Backbeat::ReadsBusy with Retry-After, and only that user.
#include "actors/api/call.hpp"
#include "actors/api/routing.hpp"

namespace backbeat::actors::api {

void serve(const Route& route, Call call);

}  // namespace backbeat::actors::api
