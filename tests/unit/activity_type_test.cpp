// Nodes run by an in-engine activity actor (docs/activity-actors.md): the
// engine stores their activity_type, refuses bad ones, and takes the runner's
// reports only for the run they answer.
#include "tests/unit/engine_fixture.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::engine::test {
namespace {

struct ActivityFixture : EngineFixture {
  // What the activity runner sends: a client report that names its run.
  ev::ClientStatusUpdate from_run(const Uuid& node, W w, uint32_t attempt,
                                  std::string response = "{}") const {
    ev::ClientStatusUpdate update = word(node, w, std::move(response));
    update.attempt = attempt;
    return update;
  }

  // A report that must change nothing at all.
  void ignored(const ev::ClientStatusUpdate& update) {
    const std::string before = snapshot();
    ok(update);
    BOOST_TEST(last.effects.persists_nothing());
    BOOST_TEST(last.effects.callbacks.empty());
    BOOST_TEST(last.effects.notifications.empty());
    BOOST_TEST(last.effects.timers_set.empty());
    BOOST_TEST(snapshot() == before);
  }

  void refused(const Event& e, const std::string& message) {
    const Error error = fails(e);  // fails() also checks that the state did not move
    BOOST_TEST((backbeat::test::http_status(error) == 400));
    BOOST_TEST(backbeat::test::error_class(error) == "Backbeat::ValidationError");
    BOOST_TEST(error.message == message);
  }
};

const std::string kBadName = "activity_type must be 1-64 characters of a-z, 0-9, '_', '-' and '.'";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(activity_type, ActivityFixture)

BOOST_AUTO_TEST_CASE(stored_on_the_decisions_that_name_one) {
  const Uuid s = sent_signal();
  const std::vector<Uuid> kids =
      decide(s, {Spec("a").activity("http"), Spec("b"), Spec("c").activity("a.b-c_9")});
  BOOST_TEST(node(kids[0]).activity_type == "http");
  BOOST_TEST(node(kids[1]).activity_type == "");
  BOOST_TEST(!node(kids[1]).runs_in_engine());
  BOOST_TEST(node(kids[2]).activity_type == "a.b-c_9");
  BOOST_TEST(node(kids[0]).legacy_type == "activity");
}

BOOST_AUTO_TEST_CASE(the_longest_name_is_64_characters) {
  const Uuid s = sent_signal();
  BOOST_TEST(node(decide(s, Spec("a").activity(std::string(64, 'x')))).activity_type.size() == 64u);
  refused(ev::AddDecisions{user, s, {Spec("b").activity(std::string(65, 'x'))}}, kBadName);
}

BOOST_AUTO_TEST_CASE(invalid_names_are_refused_and_nothing_is_created) {
  const Uuid s = sent_signal();
  for (const std::string name : {"", "Sum", "sum amounts", "sum/amounts", "caf\xC3\xA9", "a\n"}) {
    BOOST_TEST_CONTEXT("activity_type '" << name << "'") {
      refused(ev::AddDecisions{user, s, {Spec("a").activity(name)}}, kBadName);
      // One bad element refuses the whole list, the good ones included.
      refused(ev::AddDecisions{user, s, {Spec("ok").activity("http"), Spec("a").activity(name)}},
              kBadName);
      refused(ev::Signal{wf, user, Spec("sig2").activity(name)}, kBadName);
    }
  }
}

BOOST_AUTO_TEST_CASE(decisions_and_flags_cannot_name_one) {
  const Uuid s = sent_signal();
  refused(ev::AddDecisions{user, s, {Spec("d").type("decision").activity("http")}},
          "activity_type is only for activity nodes, not type decision");
  refused(ev::AddDecisions{user, s, {Spec("f").type("flag").activity("http")}},
          "activity_type is only for activity nodes, not type flag");
  // A signal is a decision, whatever type it names.
  refused(ev::Signal{wf, user, Spec("sig2").activity("http")},
          "activity_type is only for activity nodes, not type decision");
  refused(ev::Signal{wf, user, Spec("sig2").type("activity").activity("http")},
          "activity_type is only for activity nodes, not type decision");
  // Other legacy types are activities to the engine.
  BOOST_TEST(node(decide(s, Spec("t").type("timer").activity("sleep"))).activity_type == "sleep");
}

BOOST_AUTO_TEST_CASE(is_sent_through_a_callback_like_a_client_node) {
  // The activity runner is reached through send_callback, so the engine
  // treats both kinds alike: a Callback effect, in flight, a deadline.
  const std::vector<Uuid> k =
      running_children({Spec("a").activity("sum_amounts").mode(Mode::non_blocking), Spec("b")});
  BOOST_TEST(callbacks() == "a#1, b#1");
  BOOST_TEST(status(k[0]) == "sent_to_client/received");
  BOOST_TEST(node(k[0]).attempt == 1u);
  BOOST_TEST(node(k[0]).callback_pending);
  BOOST_TEST(inflight_set() == "a, b");
  BOOST_TEST(timers_set() == "deadline a @+172800s, deadline b @+172800s");
}

BOOST_AUTO_TEST_CASE(a_report_for_the_current_attempt_completes_the_node) {
  const Uuid a = sent_activity(Spec("a").activity("sum_amounts"));
  ok(from_run(a, W::completed, 1, R"({"total_cents":1650})"));
  BOOST_TEST(status(a) == "complete/complete");
  BOOST_TEST(rows_with_response(a) ==
             "C received>complete {\"total_cents\":1650}, "
             "S sent_to_client>processing_children {\"total_cents\":1650}, "
             "S processing_children>complete {}");
  BOOST_TEST(inflight_cleared() == "a");
}

BOOST_AUTO_TEST_CASE(a_report_for_an_older_attempt_changes_nothing) {
  const Uuid a = sent_activity(Spec("a").activity("sum_amounts").interval(0));
  ok(from_run(a, W::errored, 1, R"({"error":{"message":"boom"}})"));
  BOOST_TEST(node(a).attempt == 2u);  // retried at once
  for (W w : {W::completed, W::errored, W::processing}) {
    BOOST_TEST_CONTEXT("word " << int(w)) { ignored(from_run(a, w, 1)); }
  }
  BOOST_TEST(status(a) == "sent_to_client/received");
  ignored(from_run(a, W::completed, 3));  // nor a run not yet started
  ok(from_run(a, W::completed, 2));
  BOOST_TEST(status(a) == "complete/complete");
}

BOOST_AUTO_TEST_CASE(a_report_for_a_node_no_longer_at_work_changes_nothing) {
  const Uuid a = sent_activity(Spec("a").activity("sleep").timeout(60));
  advance(60 * kSec);
  fire(TimerKind::deadline, a);
  BOOST_TEST(status(a) == "retrying/errored");
  BOOST_TEST(node(a).attempt == 1u);  // the attempt the late run still reports
  ignored(from_run(a, W::completed, 1));
  ignored(from_run(a, W::errored, 1));
  ignored(from_run(a, W::processing, 1));
  BOOST_TEST(status(a) == "retrying/errored");
}

BOOST_AUTO_TEST_CASE(processing_keeps_an_in_engine_run_in_flight) {
  // A run dies with the process, so its node must stay in flight on disk
  // (re-run after a crash) until it reports an outcome.
  const std::vector<Uuid> k =
      running_children({Spec("engine").activity("http").mode(Mode::non_blocking), Spec("client")});
  ok(from_run(k[0], W::processing, 1));
  BOOST_TEST(status(k[0]) == "sent_to_client/processing");
  BOOST_TEST(node(k[0]).callback_pending);
  BOOST_TEST(inflight_cleared() == "");
  // A client's "processing" means the work is safe at the client.
  report(k[1], W::processing);
  BOOST_TEST(status(k[1]) == "sent_to_client/processing");
  BOOST_TEST(!node(k[1]).callback_pending);
  BOOST_TEST(inflight_cleared() == "client");
  // The outcome takes the run out of flight.
  ok(from_run(k[0], W::completed, 1));
  BOOST_TEST(inflight_cleared() == "engine");
}

BOOST_AUTO_TEST_CASE(processing_moves_the_deadline_of_a_run) {
  const Uuid a = sent_activity(Spec("a").activity("http").timeout(60));
  advance(30 * kSec);
  ok(from_run(a, W::processing, 1));
  BOOST_TEST(timers_cleared() == "deadline a @+30s");
  BOOST_TEST(timers_set() == "deadline a @+60s");
}

BOOST_AUTO_TEST_CASE(a_retried_run_is_the_next_attempt) {
  const Uuid a = sent_activity(Spec("a").activity("http").interval(10));
  ok(from_run(a, W::errored, 1, R"({"error":{"message":"answered 500"}})"));
  BOOST_TEST(status(a) == "retrying/errored");
  BOOST_TEST(node(a).attempt == 1u);
  advance(10 * kSec);
  fire(TimerKind::retry, a);
  BOOST_TEST(callbacks() == "a#2");
  BOOST_TEST(node(a).attempt == 2u);
  BOOST_TEST(node(a).activity_type == "http");
  ignored(from_run(a, W::completed, 1));
}

BOOST_AUTO_TEST_CASE(a_restart_after_a_deadline_is_a_new_run) {
  const Uuid a = sent_activity(Spec("a").activity("http").timeout(5));
  advance(5 * kSec);
  fire(TimerKind::deadline, a);
  restart(a);
  BOOST_TEST(callbacks() == "a#2");
  ignored(from_run(a, W::completed, 1));
  ok(from_run(a, W::completed, 2));
  BOOST_TEST(status(a) == "complete/complete");
}

BOOST_AUTO_TEST_CASE(client_reports_without_an_attempt_still_apply) {
  // The attempt check is for the runner's reports only: a client (or an
  // operator) may still settle an in-engine node by hand.
  const Uuid a = sent_activity(Spec("a").activity("sleep"));
  report(a, W::completed);
  BOOST_TEST(status(a) == "complete/complete");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::engine::test
