#pragma once
// The bridge from HTTP threads into the actor world. An HTTP thread hands a
// command over with a continuation; the gateway asks the workflow's actor
// (through the registry) with a timeout and runs the continuation with the
// answer, so no HTTP thread ever waits on an actor.
#include <chrono>
#include <functional>

#include <caf/all.hpp>

#include "actors/messages.hpp"

namespace backbeat::actors {

struct DispatchJob {
  Uuid workflow;
  engine::Event event;
  std::function<void(CommandResult)> done;  // runs on an actor thread; must not block
};

// `registry` routes each command to its workflow's actor; past `timeout`
// the command is answered 504.
caf::actor spawn_gateway(caf::actor_system& system, caf::actor registry,
                         std::chrono::milliseconds timeout);

// Sends job to the gateway; safe from any thread.
void dispatch(const caf::actor& gateway, DispatchJob job);

}  // namespace backbeat::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::actors::DispatchJob)
