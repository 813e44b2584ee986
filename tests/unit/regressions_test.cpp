
#include <boost/test/unit_test.hpp>
#include "tests/unit/engine_fixture.hpp"

namespace backbeat::engine::test {

BOOST_FIXTURE_TEST_SUITE(regressions, EngineFixture)

// BUG 1: deactivating a node whose callback is in flight never clears
// callback_pending / the inflight index.
BOOST_AUTO_TEST_CASE(cancel_clears_the_inflight_marker) {
  const Uuid a = sent_activity();
  BOOST_TEST_REQUIRE(node(a).callback_pending);
  report(a, W::canceled);
  BOOST_TEST(inflight_cleared() == "a");
  BOOST_TEST(!node(a).callback_pending);
}

BOOST_AUTO_TEST_CASE(delivery_after_cancel_clears_the_inflight_marker) {
  const Uuid a = sent_activity();
  report(a, W::canceled);   // the client cancels inside its callback handler
  BOOST_TEST(inflight_cleared() == "a");
  delivered(a);             // ... then answers the POST: nothing left to clear
  BOOST_TEST(!node(a).callback_pending);
  BOOST_TEST(inflight_cleared() == "");
}

BOOST_AUTO_TEST_CASE(deactivated_word_clears_inflight_of_earlier_nodes) {
  const std::vector<Uuid> k = running_children({Spec("a").mode(Mode::non_blocking), Spec("b")});
  report(k[1], W::deactivated);
  BOOST_TEST(status(k[0]) == "deactivated/received");
  BOOST_TEST(inflight_cleared() == "a");
  BOOST_TEST(!node(k[0]).callback_pending);
}

BOOST_AUTO_TEST_CASE(retry_reset_clears_inflight_of_descendants) {
  const Uuid a = sent_activity(Spec("a").interval(0));
  const Uuid c = decide(a, Spec("c").statuses(S::ready, C::ready));
  schedule(a);  // c sent while a is still at the client
  BOOST_TEST_REQUIRE(node(c).callback_pending);
  report(a, W::errored);  // immediate retry resets c
  BOOST_TEST(status(c) == "deactivated/received");
  BOOST_TEST(!node(c).callback_pending);
}

// BUG 2: a timer that fires before its due time (now < due) is cleared
// although the node still wants exactly that timer; the node is stuck.
BOOST_AUTO_TEST_CASE(early_start_node_timer_stays_armed) {
  const std::vector<Uuid> k = running_children({Spec("t").fires_at(kT0 + 60 * kSec)});
  const Timer t = timers(k[0]).at(0);
  advance(59 * kSec);
  ok(ev::TimerFired{t});
  BOOST_TEST(status(k[0]) == "started/ready");
  BOOST_TEST(timers_cleared() == "");
}

BOOST_AUTO_TEST_CASE(early_retry_timer_stays_armed) {
  const Uuid a = sent_activity();
  report(a, W::errored);
  const Timer t = timers(a).at(0);
  advance(1199 * kSec);
  ok(ev::TimerFired{t});
  BOOST_TEST(timers_cleared() == "");
}

BOOST_AUTO_TEST_CASE(early_deadline_timer_stays_armed) {
  const Uuid a = sent_activity(Spec("a").timeout(60));
  const Timer t = timers(a).at(0);
  advance(59 * kSec);
  ok(ev::TimerFired{t});
  BOOST_TEST(timers_cleared() == "");
}

// NIT 3: a repeated registration persists a no-op node write.
BOOST_AUTO_TEST_CASE(repeated_link_registration_persists_nothing) {
  const Uuid s = sent_signal();
  const Uuid t = decide(s, Spec("t"));
  const Uuid l = decide(s, Spec("l").link(t));
  ok(ev::LinkUpdate{t, l, false});
  ok(ev::LinkUpdate{t, l, false});
  BOOST_TEST(last.effects.persists_nothing());
}

BOOST_AUTO_TEST_SUITE_END()
}  // namespace backbeat::engine::test
