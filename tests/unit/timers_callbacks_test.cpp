// Derived timers (timers_of), timer events (start_node, retry, deadline) and
// callback outcomes (docs/contract.md §6 StartNode steps 5-6, as changed by
// §19).
#include "tests/unit/engine_fixture.hpp"

namespace backbeat::engine::test {
namespace {

Node node_in(S server, C client, std::optional<Millis> complete_by = kT0 + 50) {
  Node n;
  n.id = Uuid{0xA, 0x1};
  n.workflow_id = Uuid{0xB, 0x2};
  n.server_status = server;
  n.client_status = client;
  n.fires_at = kT0 + 10;
  n.complete_by = complete_by;
  return n;
}

// The rule, restated from the contract and our documented choices: a node
// waiting for fires_at (started/ready) has a start_node timer
// (docs/contract.md §4.5); a retrying node a retry timer at fires_at
// (docs/contract.md §7.3); a node at the client (received or processing) with a
// deadline a deadline timer (docs/contract.md §19).
std::vector<Timer> expected_timers(const Node& n) {
  std::vector<Timer> out;
  if (n.server_status == S::started && n.client_status == C::ready)
    out.push_back({n.fires_at, n.workflow_id, n.id, TimerKind::start_node});
  if (n.server_status == S::retrying)
    out.push_back({n.fires_at, n.workflow_id, n.id, TimerKind::retry});
  if (n.server_status == S::sent_to_client &&
      (n.client_status == C::received || n.client_status == C::processing) && n.complete_by)
    out.push_back({*n.complete_by, n.workflow_id, n.id, TimerKind::deadline});
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(timers_of_state)

BOOST_AUTO_TEST_CASE(each_state_in_turn) {
  const Node waiting = node_in(S::started, C::ready);
  BOOST_TEST_REQUIRE(timers_of(waiting).size() == 1u);
  const Timer t = timers_of(waiting)[0];
  BOOST_TEST(t.due == kT0 + 10);
  BOOST_TEST((t.workflow_id == waiting.workflow_id));
  BOOST_TEST((t.node_id == waiting.id));
  BOOST_TEST((t.kind == TimerKind::start_node));

  BOOST_TEST((timers_of(node_in(S::retrying, C::errored)).at(0).kind == TimerKind::retry));
  BOOST_TEST(timers_of(node_in(S::retrying, C::errored)).at(0).due == kT0 + 10);
  const Timer d = timers_of(node_in(S::sent_to_client, C::received)).at(0);
  BOOST_TEST((d.kind == TimerKind::deadline));
  BOOST_TEST(d.due == kT0 + 50);
  BOOST_TEST(timers_of(node_in(S::sent_to_client, C::processing)).size() == 1u);
  BOOST_TEST(timers_of(node_in(S::sent_to_client, C::received, std::nullopt)).empty());
  for (S s : {S::pending, S::ready, S::paused, S::processing_children, S::complete, S::errored,
              S::retries_exhausted, S::deactivated})
    BOOST_TEST(timers_of(node_in(s, C::ready)).empty(), "server " << to_string(s));
}

BOOST_AUTO_TEST_CASE(every_status_pair) {
  for (int s = 0; s < kServerStatusCount; ++s)
    for (int c = 0; c < kClientStatusCount; ++c)
      for (std::optional<Millis> by : {std::optional<Millis>(kT0 + 50), std::optional<Millis>()}) {
        const Node n = node_in(S(s), C(c), by);
        BOOST_TEST((timers_of(n) == expected_timers(n)),
                   status_pair(S(s), C(c)) << (by ? " with" : " without") << " complete_by");
      }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(timer_events, EngineFixture)

BOOST_AUTO_TEST_CASE(deadline_turns_into_a_client_error) {
  const Uuid a = sent_activity(Spec("a").timeout(60));
  BOOST_TEST(timers_set() == "deadline a @+60s");
  advance(60 * kSec);
  fire(TimerKind::deadline, a);
  BOOST_TEST(status(a) == "retrying/errored");
  const std::string text = "Client did not respond within the specified 'complete_by' time";
  BOOST_TEST(rows_with_response(a) ==
             "C received>errored {\"error\":\"" + text + "\"}, S sent_to_client>retrying {}");
  BOOST_TEST(timers_cleared() == "deadline a @+0s");
  BOOST_TEST(timers_set() == "retry a @+1200s");
  BOOST_TEST(inflight_cleared() == "a");
}

BOOST_AUTO_TEST_CASE(deadline_exhaustion_notifies_with_the_text) {
  const Uuid a = sent_activity(Spec("a").timeout(60).retries(0));
  advance(60 * kSec);
  fire(TimerKind::deadline, a);
  BOOST_TEST(status(a) == "retries_exhausted/errored");
  BOOST_TEST(notifications() ==
             "a Client Error \"Client did not respond within the specified 'complete_by' time\"");
}

BOOST_AUTO_TEST_CASE(deadline_covers_processing_and_moves_with_each_report) {
  const Uuid a = sent_activity(Spec("a").timeout(60));
  const Timer first = timers(a).at(0);
  advance(30 * kSec);
  report(a, W::processing);
  BOOST_TEST(timers_cleared() == "deadline a @+30s");
  BOOST_TEST(timers_set() == "deadline a @+60s");
  // The first deadline, if it still fires, is stale.
  advance(30 * kSec);
  const std::string before = snapshot();
  ok(ev::TimerFired{first});
  BOOST_TEST(snapshot() == before);
  BOOST_TEST(render(last.effects.timers_cleared) == render(first));
  BOOST_TEST(last.effects.timers_set.empty());
  // The current one errors the node although the client said "processing".
  advance(30 * kSec);
  fire(TimerKind::deadline, a);
  BOOST_TEST(rows(a) == "C processing>errored, S sent_to_client>retrying");
}

BOOST_AUTO_TEST_CASE(no_deadline_when_timeouts_are_off) {
  const Uuid a = sent_activity(Spec("a").timeout(0));
  BOOST_TEST(!node(a).complete_by.has_value());
  BOOST_TEST(timers(a).empty());
  EngineFixture f;
  f.ctx.rules.client_timeout_s = 0;
  const Uuid b = f.sent_activity();
  BOOST_TEST(f.timers(b).empty());
}

BOOST_AUTO_TEST_CASE(stale_timers_are_cleared_and_ignored) {
  const Uuid a = sent_activity();
  // A start_node timer for a node already sent, a retry timer for a node
  // that is not retrying, and a timer for a node that does not exist.
  for (const Timer& t : {timer(TimerKind::start_node, a, kT0 - kSec), timer(TimerKind::retry, a, kT0),
                         timer(TimerKind::deadline, Uuid{6, 6}, kT0)}) {
    const std::string before = snapshot();
    ok(ev::TimerFired{t});
    BOOST_TEST(snapshot() == before);
    BOOST_TEST(last.effects.status_changes.empty());
    BOOST_TEST(last.effects.callbacks.empty());
    BOOST_TEST(render(last.effects.timers_cleared) == render(t));
    BOOST_TEST(last.effects.timers_set.empty());
  }
}

BOOST_AUTO_TEST_CASE(retry_timer_of_a_node_moved_on_does_nothing) {
  const Uuid a = sent_activity();
  report(a, W::errored);
  const Timer retry = timers(a).at(0);
  Node moved = node(a);  // as if an operator had restarted and it failed again
  moved.server_status = S::retries_exhausted;
  state.upsert(moved);
  advance(1200 * kSec);
  ok(ev::TimerFired{retry});
  BOOST_TEST(status(a) == "retries_exhausted/errored");
  BOOST_TEST(last.effects.status_changes.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(callback_outcomes, EngineFixture)

BOOST_AUTO_TEST_CASE(delivery_clears_the_inflight_marker) {
  const Uuid a = sent_activity();
  BOOST_TEST(node(a).callback_pending);
  delivered(a);
  BOOST_TEST(!node(a).callback_pending);
  BOOST_TEST(inflight_cleared() == "a");
  BOOST_TEST(changed() == "a");
  BOOST_TEST(last.effects.status_changes.empty());
  BOOST_TEST(status(a) == "sent_to_client/received");
  // A second delivery report changes nothing.
  delivered(a);
  BOOST_TEST(last.effects.persists_nothing());
}

BOOST_AUTO_TEST_CASE(client_answered_before_the_post_returned) {
  const Uuid a = sent_activity();
  report(a, W::processing);
  BOOST_TEST(inflight_cleared() == "a");
  delivered(a);
  BOOST_TEST(last.effects.persists_nothing());
}

BOOST_AUTO_TEST_CASE(failure_errors_the_node_at_once) {
  // docs/contract.md §19: a network error marks the node errored and follows
  // its retry rules.
  const Uuid a = sent_activity(Spec("a").interval(5));
  undeliverable(a, "Could not POST http://x/activity, error: refused");
  BOOST_TEST(status(a) == "retrying/errored");
  BOOST_TEST(rows_with_response(a) ==
             "C received>errored {\"error\":{\"message\":\"Could not POST http://x/activity, "
             "error: refused\"}}, S sent_to_client>retrying {}");
  BOOST_TEST(inflight_cleared() == "a");
  BOOST_TEST(timers_set() == "retry a @+5s");
  BOOST_TEST(node(a).retries_remaining == 5);
}

BOOST_AUTO_TEST_CASE(failure_on_exhaustion_notifies_with_an_escaped_message) {
  const Uuid a = sent_activity(Spec("a").retries(0));
  undeliverable(a, "HTTP \"500\"\n\tbody\x01");
  BOOST_TEST(status(a) == "retries_exhausted/errored");
  BOOST_TEST(notifications() ==
             "a Client Error {\"message\":\"HTTP \\\"500\\\"\\n\\tbody\\u0001\"}");
}

BOOST_AUTO_TEST_CASE(failure_while_processing_still_errors) {
  const Uuid a = sent_activity(Spec("a").retries(0));
  report(a, W::processing);
  undeliverable(a, "timeout");
  BOOST_TEST(status(a) == "retries_exhausted/errored");
}

BOOST_AUTO_TEST_CASE(failure_after_the_client_completed_is_ignored) {
  const Uuid a = sent_activity();
  report(a, W::completed);
  const std::string before = snapshot();
  undeliverable(a, "connection reset");
  BOOST_TEST(last.effects.persists_nothing());
  BOOST_TEST(snapshot() == before);
  BOOST_TEST(status(a) == "complete/complete");
}

BOOST_AUTO_TEST_CASE(stale_attempts_are_ignored) {
  const Uuid a = sent_activity(Spec("a").interval(0));
  report(a, W::errored);  // re-sent at once: attempt 2
  BOOST_TEST(node(a).attempt == 2u);
  const std::string before = snapshot();
  ok(ev::CallbackOutcome{a, 1, false, "late failure of the first send"});
  BOOST_TEST(last.effects.persists_nothing());
  ok(ev::CallbackOutcome{a, 1, true, ""});
  BOOST_TEST(last.effects.persists_nothing());
  BOOST_TEST(snapshot() == before);
  BOOST_TEST(node(a).callback_pending);
  delivered(a);
  BOOST_TEST(inflight_cleared() == "a");
}

BOOST_AUTO_TEST_CASE(outcome_for_an_unknown_node_is_ignored) {
  create();
  ok(ev::CallbackOutcome{Uuid{8, 8}, 1, false, "x"});
  BOOST_TEST(last.effects.persists_nothing());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::engine::test
