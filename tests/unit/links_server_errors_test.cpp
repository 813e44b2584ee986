// Link nodes (docs/contract.md §4.6, §19: a deactivated link counts as
// finished) and failing follow-up jobs turning into ServerError
// (docs/contract.md §6 ServerError, §7.4).
#include "tests/unit/engine_fixture.hpp"

namespace backbeat::engine::test {

struct LinkFixture : EngineFixture {
  Uuid target, linker;
  // sig -> [target (non-blocking), linker (non-blocking, links to target)],
  // both at the client; the link registration has been delivered.
  void arrange() {
    sent_signal();
    target = decide(sig, Spec("target").mode(Mode::non_blocking));
    linker = decide(sig, Spec("linker").mode(Mode::non_blocking).link(target));
    BOOST_TEST(links() == "linker->target registered");
    report(sig, W::completed);
    ok(ev::LinkUpdate{target, linker, false});
    BOOST_TEST(changed() == "target");
  }
  // Routes the latest link messages back, as the actor would.
  void deliver_links() {
    const std::vector<LinkMessage> msgs = last.effects.links;
    for (const LinkMessage& m : msgs) ok(ev::LinkUpdate{m.target_node, m.link_node, m.finished});
  }
};

BOOST_FIXTURE_TEST_SUITE(links, LinkFixture)

BOOST_AUTO_TEST_CASE(registration_is_recorded_on_the_target) {
  arrange();
  BOOST_TEST_REQUIRE(node(target).links.size() == 1u);
  BOOST_TEST((node(target).links[0] == LinkRef{linker, false}));
  BOOST_TEST(last.effects.status_changes.empty());
}

BOOST_AUTO_TEST_CASE(an_open_link_holds_the_target_in_processing_children) {
  arrange();
  report(target, W::completed);
  BOOST_TEST(status(target) == "processing_children/complete");
  report(linker, W::completed);
  BOOST_TEST(status(linker) == "complete/complete");
  BOOST_TEST(links() == "linker->target finished");
  BOOST_TEST(status(sig) == "processing_children/complete");  // target still open
  deliver_links();
  BOOST_TEST(node(target).links.at(0).finished);
  BOOST_TEST(status(target) == "complete/complete");
  BOOST_TEST(status(sig) == "complete/complete");
}

BOOST_AUTO_TEST_CASE(link_finishing_first_completes_the_target_later) {
  // NodeComplete only acts on processing_children: the target is still at
  // the client when the link finishes, and completes with its own report.
  arrange();
  report(linker, W::completed);
  deliver_links();
  BOOST_TEST(status(target) == "sent_to_client/received");
  BOOST_TEST(last.effects.status_changes.empty());
  report(target, W::completed);
  BOOST_TEST(status(target) == "complete/complete");
  BOOST_TEST(status(sig) == "complete/complete");
}

BOOST_AUTO_TEST_CASE(a_deactivated_link_counts_as_finished) {
  arrange();
  report(target, W::completed);
  report(linker, W::canceled);
  BOOST_TEST(links() == "linker->target finished");
  deliver_links();
  BOOST_TEST(status(target) == "complete/complete");
  BOOST_TEST(status(sig) == "complete/complete");
}

BOOST_AUTO_TEST_CASE(finished_is_final) {
  arrange();
  report(target, W::completed);
  ok(ev::LinkUpdate{target, linker, true});
  ok(ev::LinkUpdate{target, linker, false});  // late registration
  BOOST_TEST(node(target).links.size() == 1u);
  BOOST_TEST(node(target).links.at(0).finished);
}

// The sender re-sends until it hears the update was applied (a crash between
// the target's batch and the delete, or a lost answer from another member):
// the second copy of a finished link must change nothing.
BOOST_AUTO_TEST_CASE(a_finished_link_delivered_twice_changes_nothing_more) {
  arrange();
  report(target, W::completed);
  report(linker, W::completed);
  const std::vector<LinkMessage> finished = last.effects.links;
  deliver_links();
  BOOST_TEST(status(target) == "complete/complete");
  BOOST_TEST(status(sig) == "complete/complete");
  for (const LinkMessage& m : finished) ok(ev::LinkUpdate{m.target_node, m.link_node, m.finished});
  BOOST_TEST(last.effects.persists_nothing());
  BOOST_TEST(callbacks() == "");
  BOOST_TEST(status(target) == "complete/complete");
  BOOST_TEST(status(sig) == "complete/complete");
  BOOST_TEST(node(target).links.size() == 1u);
}

BOOST_AUTO_TEST_CASE(finished_without_registration_is_recorded) {
  arrange();
  const Uuid stranger{0x77, 0x77};
  ok(ev::LinkUpdate{target, stranger, true});
  BOOST_TEST(node(target).links.size() == 2u);
  BOOST_TEST((node(target).links.at(1) == LinkRef{stranger, true}));
}

BOOST_AUTO_TEST_CASE(a_link_dies_only_once) {
  arrange();
  report(linker, W::completed);
  BOOST_TEST(links() == "linker->target finished");
  // Deactivating the completed link later sends nothing more.
  const Uuid later = decide(target, Spec("later"));
  report(later, W::deactivated);
  BOOST_TEST(status(linker) == "deactivated/complete");
  BOOST_TEST(links() == "");
}

BOOST_AUTO_TEST_CASE(a_delivered_link_message_is_acknowledged_in_the_same_step) {
  arrange();
  const Uuid message{0x77, 0x77};
  ok(ev::LinkUpdate{target, linker, true, message});
  BOOST_TEST_REQUIRE(last.effects.messages_done.size() == 1u);
  BOOST_TEST(last.effects.messages_done[0].str() == message.str());
  // Even for a target that is gone: the sender must stop re-sending.
  ok(ev::LinkUpdate{Uuid{0x55, 0x55}, linker, true, message});
  BOOST_TEST(last.effects.messages_done.size() == 1u);
  BOOST_TEST(!last.effects.persists_nothing());
}

BOOST_AUTO_TEST_CASE(update_for_an_unknown_target_only_warns) {
  arrange();
  const Uuid unknown{0x55, 0x55};
  ok(ev::LinkUpdate{unknown, linker, true});
  BOOST_TEST(last.effects.persists_nothing());
  BOOST_TEST_REQUIRE(last.effects.warnings.size() == 1u);
  BOOST_TEST(last.effects.warnings[0] == "link update for unknown node " + unknown.str());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(failing_follow_ups, EngineFixture)

BOOST_AUTO_TEST_CASE(failing_start_node_becomes_a_server_error) {
  // A decision may set its own statuses (docs/contract.md §17.17): a child born
  // ready/received is picked by the walk (ready -> started, committed in its
  // own step) but cannot be sent (received -> received). The request that
  // caused the walk still succeeds; the child records a ServerError.
  const Uuid s = sent_signal();
  const Uuid odd = decide(s, Spec("odd").statuses(S::ready, C::received));
  const Uuid next = decide(s, Spec("next").mode(Mode::non_blocking).statuses(S::ready, C::ready));
  schedule(s);
  const std::string why = "Cannot transition current_client_status from received to received";
  BOOST_TEST(status(odd) == "errored/received");
  BOOST_TEST(rows_with_response(odd) ==
             "S ready>started {}, S started>errored {\"error\":{\"message\":\"" + why + "\"}}");
  BOOST_TEST(notifications() == "odd Server Error {\"message\":\"" + why + "\"}");
  BOOST_TEST_REQUIRE(last.effects.warnings.size() == 1u);
  BOOST_TEST(last.effects.warnings[0] == why);
  BOOST_TEST(callbacks() == "");  // odd is blocking: the walk stopped at it
  BOOST_TEST(status(next) == "ready/ready");
  BOOST_TEST(inflight_set() == "");
}

BOOST_AUTO_TEST_CASE(an_errored_node_holds_the_walk_until_canceled) {
  const Uuid s = sent_signal();
  const Uuid odd = decide(s, Spec("odd").statuses(S::ready, C::complete));
  const Uuid next = decide(s, Spec("next").mode(Mode::non_blocking).statuses(S::ready, C::ready));
  schedule(s);
  BOOST_TEST(status(odd) == "errored/complete");
  schedule(s);  // errored is not finished: the blocking node still stops the walk
  BOOST_TEST(status(next) == "ready/ready");
  report(odd, W::canceled);
  BOOST_TEST(status(next) == "sent_to_client/received");
  BOOST_TEST(callbacks() == "next#1");
}

BOOST_AUTO_TEST_CASE(failing_retry_becomes_a_server_error) {
  const Uuid a = sent_activity();
  report(a, W::errored);
  // A restored state where the node is retrying but its client part cannot
  // go back to ready.
  Node n = node(a);
  n.client_status = C::received;
  n.callback_pending = true;
  state.upsert(n);
  advance(1200 * kSec);
  fire(TimerKind::retry, a);
  BOOST_TEST(status(a) == "errored/received");
  BOOST_TEST(rows(a) == "S retrying>errored");
  BOOST_TEST(notifications() ==
             "a Server Error {\"message\":\"Cannot transition current_client_status from "
             "received to ready\"}");
  BOOST_TEST(!node(a).callback_pending);
  BOOST_TEST(inflight_cleared() == "a");
  BOOST_TEST(timers_cleared() == "retry a @+0s");
  BOOST_TEST(timers_set() == "");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::engine::test
