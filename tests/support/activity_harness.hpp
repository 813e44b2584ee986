#pragma once
// Runs one activity (actors/activity/activity.hpp) the way the activity
// runner does, without a server: a fresh actor of the type answers one
// (run_atom, Job). The guide (docs/activity-actors.md, "Test it") and
// tests/activities/sum_amounts_test.cpp show it in use:
//
//   auto run = run_activity<SumAmounts>(make_job({{"amounts", {1250, 399, 1}}}));
//   BOOST_REQUIRE(run.outcome);
//   BOOST_TEST(run.outcome->completed);
//
// Each call starts a small actor system of its own and stops it before it
// returns, so runs share nothing. An actor that throws, stops without
// answering or does not answer in time is reported in `failure`, in the
// words its node would show; the test goes on. completed_response and
// error_message shorten the usual checks; HttpEnv lends an activity that
// calls out a real EndpointGate.
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>

#include "actors/activity/activity.hpp"
#include "actors/activity/catalog.hpp"
#include "actors/activity/run_actor.hpp"
#include "net/endpoint_gate.hpp"

namespace backbeat::test {

struct ActivityRun {
  std::optional<activity::Outcome> outcome;  // what the actor answered
  // Set when it did not answer: "threw: ...", the reason it quit with, or
  // "no answer within N ms".
  std::string failure;
  int progress_reports = 0;  // processing(self, job) calls before the answer
};

inline Millis wall_clock_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The wall clock and no HTTP (an activity that calls out needs HttpEnv).
inline activity::Env test_env() {
  activity::Env env;
  env.clock = wall_clock_now;
  return env;
}

// The first run of a node, sent now, with this client_data (as given: the
// server would have made a non-object an empty object).
inline activity::Job make_job(activity::Json client_data = activity::Json::object()) {
  activity::Job job;
  job.node_id = Uuid{0x0000000000004000ull, 1};
  job.workflow_id = Uuid{0x0000000000004000ull, 2};
  job.name = "node";
  job.workflow_name = "workflow";
  job.subject = activity::Json::object();
  job.client_data = std::move(client_data);
  job.attempt = 1;
  job.sent_at = wall_clock_now();
  return job;
}

// Runs `definition` (a catalog entry) on `job`; job.activity_type defaults
// to its name. `env` outlives the run, as the node's does.
inline ActivityRun run_activity(const activity::Definition& definition, activity::Job job,
                                activity::Env env = test_env(),
                                std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  if (job.activity_type.empty()) job.activity_type = definition.name;
  ActivityRun run;
  caf::actor_system_config config;
  config.set("scheduler.max-threads", 2);  // toolchain.md G4: 2 cores
  config.set("work-stealing.moderate-poll-attempts", 0);
  caf::actor_system system{config};
  caf::scoped_actor self{system};
  const caf::actor actor = system.spawn(activity::run_actor, &definition, &env);
  self->monitor(actor);
  job.runner = caf::actor_cast<caf::actor>(self);  // processing() reports come here
  caf::error no_answer;
  self->request(actor, timeout, activity::run_atom::value, std::move(job))
      .receive([&](activity::Outcome& outcome) { run.outcome = std::move(outcome); },
               [&](caf::error& e) { no_answer = std::move(e); });
  // Stopped as the runner stops it; an actor already down keeps its reason,
  // and one that ignores the request to stop is killed.
  self->send_exit(actor, caf::exit_reason::user_shutdown);
  caf::error reason;
  for (bool down = false; !down;)
    self->receive(
        [&](activity::progress_atom, const activity::RunKey&) { ++run.progress_reports; },
        [&](caf::down_msg& dm) {
          reason = std::move(dm.reason);
          down = true;
        },
        caf::after(timeout) >> [&] { self->send_exit(actor, caf::exit_reason::kill); });
  if (run.outcome) return run;
  if (no_answer == caf::sec::request_timeout)
    run.failure = "no answer within " + std::to_string(timeout.count()) + " ms";
  else if (reason != caf::exit_reason::user_shutdown)
    run.failure = activity::describe_exit(reason);
  else
    run.failure = "answered with an error: " + to_string(no_answer);
  return run;
}

// Runs the activity type T (a `name` and a `make`, as for Catalog::add<T>).
template <class T>
ActivityRun run_activity(activity::Job job, activity::Env env = test_env(),
                         std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  return run_activity(activity::Definition{std::string(T::name), &T::make}, std::move(job),
                      std::move(env), timeout);
}

// The response of a run that completed; a failed requirement, saying what
// happened instead, otherwise.
inline activity::Json completed_response(const ActivityRun& run) {
  BOOST_TEST_REQUIRE(run.outcome.has_value(), "no outcome: " << run.failure);
  BOOST_TEST_REQUIRE(run.outcome->completed, "errored: " << run.outcome->response.dump());
  return run.outcome->response;
}

// The error message of a run that errored (its response's error.message).
inline std::string error_message(const ActivityRun& run) {
  BOOST_TEST_REQUIRE(run.outcome.has_value(), "no outcome: " << run.failure);
  BOOST_TEST_REQUIRE(!run.outcome->completed, "completed: " << run.outcome->response.dump());
  return run.outcome->response["error"].value("message", "");
}

// An Env whose gate calls out for real (a net::HttpClient with its own
// thread), for activities that use env.gate. Declare it before anything its
// calls report into: it stops the client, and every call with it, first.
struct HttpEnv {
  HttpEnv() : gate(http, net::EndpointLimits{}) {}
  ~HttpEnv() { http.stop(); }
  HttpEnv(const HttpEnv&) = delete;
  HttpEnv& operator=(const HttpEnv&) = delete;

  // URL prefixes the http built-in may call; "*" is any http(s) URL.
  activity::Env env(std::vector<std::string> http_allowed_urls = {"*"}) {
    activity::Env e = test_env();
    e.gate = &gate;
    e.http_allowed_urls = std::move(http_allowed_urls);
    return e;
  }

  net::HttpClient http;
  net::EndpointGate gate;
};

}  // namespace backbeat::test
