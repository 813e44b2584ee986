// Repeated reports (docs/contract.md §19: idempotent 200), the deactivated gate
// (docs/contract.md §6) and illegal transitions (docs/contract.md §5.3, §19:
// 409 with the state untouched).
#include "tests/unit/engine_fixture.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::engine::test {
namespace {

const std::vector<W> kAllWords = {W::processing, W::completed, W::errored, W::resolved,
                                  W::shutdown,   W::canceled,  W::deactivated};

std::string word_name(W w) {
  switch (w) {
    case W::processing: return "processing";
    case W::completed: return "completed";
    case W::errored: return "errored";
    case W::resolved: return "resolved";
    case W::shutdown: return "shutdown";
    case W::canceled: return "canceled";
    case W::deactivated: return "deactivated";
  }
  return "?";
}

}  // namespace

struct RepeatFixture : EngineFixture {
  // Applies the word again and requires that nothing at all happened.
  void check_repeat_is_silent(const Uuid& n, W w) {
    const std::string before = snapshot();
    advance(kSec);  // a touch would show as a new complete_by
    report(n, w, R"({"again":true})");
    BOOST_TEST(last.effects.persists_nothing());
    BOOST_TEST(callbacks() == "");
    BOOST_TEST(notifications() == "");
    BOOST_TEST(links() == "");
    BOOST_TEST(timers_set() == "");
    BOOST_TEST(snapshot() == before);
  }
};

BOOST_FIXTURE_TEST_SUITE(repeated_reports, RepeatFixture)

BOOST_AUTO_TEST_CASE(completed_twice) {
  const Uuid a = sent_activity();
  decide(a, Spec("child"));
  report(a, W::completed);
  check_repeat_is_silent(a, W::completed);
}

BOOST_AUTO_TEST_CASE(completed_twice_after_the_node_completed) {
  const Uuid a = sent_activity();
  report(a, W::completed);
  BOOST_TEST(status(a) == "complete/complete");
  check_repeat_is_silent(a, W::completed);
}

BOOST_AUTO_TEST_CASE(processing_twice) {
  const Uuid a = sent_activity();
  report(a, W::processing);
  check_repeat_is_silent(a, W::processing);
}

BOOST_AUTO_TEST_CASE(errored_twice_while_retrying) {
  const Uuid a = sent_activity();
  report(a, W::errored);
  check_repeat_is_silent(a, W::errored);
  BOOST_TEST(node(a).retries_remaining == 5);
}

BOOST_AUTO_TEST_CASE(errored_twice_when_exhausted) {
  const Uuid a = sent_activity(Spec("a").retries(0));
  report(a, W::errored);
  check_repeat_is_silent(a, W::errored);
}

BOOST_AUTO_TEST_CASE(resolved_and_shutdown_twice) {
  for (W w : {W::resolved, W::shutdown}) {
    RepeatFixture f;
    const Uuid a = f.sent_activity(Spec("a").retries(0));
    f.decide(a, Spec("open"));
    f.report(a, W::errored);
    f.report(a, w);
    f.check_repeat_is_silent(a, w);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(deactivated_gate, RepeatFixture)

BOOST_AUTO_TEST_CASE(every_word_on_a_dead_node_is_ignored) {
  for (W w : kAllWords) {
    BOOST_TEST_CONTEXT("word " << word_name(w)) {
      RepeatFixture f;
      const std::vector<Uuid> k =
          f.running_children({Spec("dead").mode(Mode::non_blocking), Spec("alive")});
      f.report(k[0], W::canceled);
      f.check_repeat_is_silent(k[0], w);
    }
  }
}

BOOST_AUTO_TEST_CASE(timers_and_callback_outcomes_on_a_dead_node_change_nothing) {
  const Uuid a = sent_activity();
  const Timer deadline = timers(a).at(0);
  report(a, W::canceled);
  const std::string before = snapshot();
  advance(deadline.due - now());
  ok(ev::TimerFired{deadline});
  BOOST_TEST(last.effects.status_changes.empty());
  BOOST_TEST(render(last.effects.timers_cleared) == render(deadline));
  ok(ev::CallbackOutcome{a, 1, false, "refused"});
  BOOST_TEST(last.effects.persists_nothing());
  BOOST_TEST(snapshot() == before);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(illegal_transitions, EngineFixture)

// Each case: the word, the node's situation, and the error it must raise.
// fails() checks that the whole state (incl. complete_by) is unchanged.

BOOST_AUTO_TEST_CASE(words_on_a_pending_node) {
  const Uuid s = sent_signal();
  const Uuid p = decide(s, Spec("p"));
  check_transition_error(fails(word(p, W::processing)), false, "pending", "processing");
  check_transition_error(fails(word(p, W::completed)), false, "pending", "complete");
  check_transition_error(fails(word(p, W::resolved)), false, "pending", "resolved");
  check_transition_error(fails(word(p, W::shutdown)), false, "pending", "shutdown");
  // pending -> errored is a legal client move; the server one is not.
  check_transition_error(fails(word(p, W::errored)), true, "pending", "retrying");
}

BOOST_AUTO_TEST_CASE(words_on_a_node_waiting_for_its_timer) {
  const std::vector<Uuid> k = running_children({Spec("t").fires_at(kT0 + kSec * 60)});
  check_transition_error(fails(word(k[0], W::completed)), false, "ready", "complete");
  check_transition_error(fails(word(k[0], W::processing)), false, "ready", "processing");
}

BOOST_AUTO_TEST_CASE(words_at_the_client) {
  const Uuid a = sent_activity();
  check_transition_error(fails(word(a, W::resolved)), false, "received", "resolved");
  check_transition_error(fails(word(a, W::shutdown)), false, "received", "shutdown");
}

BOOST_AUTO_TEST_CASE(words_after_completion) {
  const Uuid a = sent_activity();
  report(a, W::completed);
  check_transition_error(fails(word(a, W::processing)), false, "complete", "processing");
  check_transition_error(fails(word(a, W::errored)), false, "complete", "errored");
  check_transition_error(fails(word(a, W::resolved)), false, "complete", "resolved");
}

BOOST_AUTO_TEST_CASE(words_while_retrying_are_server_conflicts) {
  const Uuid a = sent_activity();
  report(a, W::errored);
  check_transition_error(fails(word(a, W::resolved)), true, "retrying", "processing_children");
  check_transition_error(fails(word(a, W::shutdown)), true, "retrying", "processing_children");
  check_transition_error(fails(word(a, W::completed)), false, "errored", "complete");
  check_transition_error(fails(word(a, W::processing)), false, "errored", "processing");
}

BOOST_AUTO_TEST_CASE(words_after_resolution) {
  const Uuid a = sent_activity(Spec("a").retries(0));
  decide(a, Spec("open"));
  report(a, W::errored);
  report(a, W::resolved);
  for (W w : {W::processing, W::completed, W::errored, W::shutdown})
    BOOST_TEST_CONTEXT("word " << word_name(w)) {
      const Error e = fails(word(a, w));
      BOOST_TEST((backbeat::test::http_status(e) == 409));
      BOOST_TEST(e.detail("current_status") == "resolved");
    }
}

BOOST_AUTO_TEST_CASE(completion_whose_mark_children_ready_fails_is_refused_whole) {
  // A decision may set its own statuses (docs/contract.md §17.17). A child
  // already "ready" cannot be made ready (docs/contract.md §6 MarkChildrenReady
  // raises, §17.20). That step is inline in the completion, so the whole
  // completion is a 409 and nothing moves: the parent stays at the client.
  const Uuid s = sent_signal();
  const Uuid fine = decide(s, Spec("fine"));
  const Uuid odd = decide(s, Spec("odd").statuses(S::ready, C::pending));
  const Error e = fails(word(s, W::completed));
  check_transition_error(e, true, "ready", "ready");
  BOOST_TEST(status(s) == "sent_to_client/received");
  BOOST_TEST(status(fine) == "pending/pending");
  BOOST_TEST(status(odd) == "ready/pending");
  // The way out: the deadline (or an error) retries the parent, which resets
  // its children, odd included.
  report(s, W::errored);
  advance(1200 * kSec);
  fire(TimerKind::retry, s);
  BOOST_TEST(status(odd) == "deactivated/pending");
  BOOST_TEST(status(fine) == "deactivated/pending");
  BOOST_TEST(status(s) == "sent_to_client/received");
  report(s, W::completed);
  BOOST_TEST(status(s) == "complete/complete");
}

BOOST_AUTO_TEST_CASE(unknown_node_is_not_found) {
  create();
  const Error e = fails(ev::ClientStatusUpdate{user, Uuid{5, 5}, W::completed, "{}", "null"});
  BOOST_TEST((backbeat::test::http_status(e) == 404));
  BOOST_TEST(backbeat::test::error_class(e) == "ActiveRecord::RecordNotFound");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::engine::test
