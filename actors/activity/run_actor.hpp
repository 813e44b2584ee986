#pragma once
// The actor of one run, as the activity runner spawns it and as tests that
// run an activity alone do (tests/support/activity_harness.hpp), with one
// wording for its failures, so a test sees what the node would show.
#include <exception>
#include <string>

#include <caf/all.hpp>

#include "actors/activity/catalog.hpp"

namespace backbeat::activity {

// `definition`'s behaviour, with exception_reason installed first. Spawn it
// with its arguments: self->spawn<caf::monitored>(run_actor, def, env). (A
// lambda spawned without arguments makes CAF 0.17 dereference a null
// argument tuple, which UBSan reports.)
caf::behavior run_actor(caf::event_based_actor* self, const Definition* definition,
                        const Env* env);

// An exception handler for a run's actor: the exception's own words become
// its exit reason ("threw: ..."), not CAF's wordless runtime_error.
caf::error exception_reason(caf::scheduled_actor* self, std::exception_ptr& e);

// Why a run's actor stopped: the text it quit with, else CAF's rendering.
std::string describe_exit(const caf::error& reason);

}  // namespace backbeat::activity
