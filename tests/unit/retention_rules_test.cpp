// When retention may delete a workflow (engine/retention.hpp): only once it
// is marked complete, every node has finished, nothing waits on it, and it
// has been quiet since the cutoff.
#include "engine/retention.hpp"
#include "tests/unit/engine_fixture.hpp"

namespace backbeat::engine::test {

BOOST_FIXTURE_TEST_SUITE(retention_rules, EngineFixture)

BOOST_AUTO_TEST_CASE(a_complete_quiet_workflow_with_every_node_finished_may_go) {
  const Uuid a = sent_activity();
  advance(kSec);
  BOOST_TEST(*retention_blocker(state, now()) == "not complete");
  set_flag(ev::WorkflowFlag::complete);
  BOOST_TEST(retention_blocker(state, now())->find("has not finished") != std::string::npos);
  advance(kSec);
  report(a, W::completed);
  BOOST_TEST(status(sig) == "complete/complete");
  BOOST_TEST(!retention_blocker(state, now()).has_value());
  BOOST_TEST(last_activity(state) == now());
  // The cutoff is "last changed at or before".
  BOOST_TEST(*retention_blocker(state, now() - 1) == "changed too recently");
}

BOOST_AUTO_TEST_CASE(a_workflow_without_nodes_may_go_once_complete) {
  create();
  advance(kSec);
  set_flag(ev::WorkflowFlag::complete);
  BOOST_TEST(!retention_blocker(state, now()).has_value());
  BOOST_TEST(*retention_blocker(WorkflowState{}, now()) == "no such workflow");
}

BOOST_AUTO_TEST_CASE(a_node_waiting_for_a_later_start_keeps_it) {
  create();
  signal(Spec("later").fires_at(now() + 3600 * kSec));
  set_flag(ev::WorkflowFlag::complete);
  advance(7200 * kSec);
  BOOST_TEST(retention_blocker(state, now())->find("has not finished") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(anything_still_waiting_on_a_finished_node_keeps_it) {
  // States the engine does not produce today, checked anyway: a purge is
  // not undoable, so every kind of pending work is its own reason to stay.
  Workflow w;
  w.id = wf;
  w.user_id = user;
  w.complete = true;
  Node n;
  n.id = Uuid{0x9, 0x9};
  n.workflow_id = wf;
  n.server_status = S::deactivated;
  const Millis later = kT0 + 1000 * kSec;

  Node link = n;
  link.links = {LinkRef{Uuid{0x8, 0x8}, true}, LinkRef{Uuid{0x7, 0x7}, false}};
  BOOST_TEST(retention_blocker(WorkflowState(w, {link}), later)->find("waits for link") !=
             std::string::npos);
  link.links[1].finished = true;
  BOOST_TEST(!retention_blocker(WorkflowState(w, {link}), later).has_value());

  Node callback = n;
  callback.callback_pending = true;
  BOOST_TEST(retention_blocker(WorkflowState(w, {callback}), later)->find("callback") !=
             std::string::npos);

  Node paused = n;
  paused.server_status = S::paused;
  BOOST_TEST(retention_blocker(WorkflowState(w, {paused}), later).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::engine::test
