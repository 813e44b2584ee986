// What the engine tells storage so indexes are written once, not per change:
// which nodes and workflows are new, and which status rows reach a word for
// the first time in their node or in their workflow.
#include "tests/unit/engine_fixture.hpp"

namespace backbeat::engine::test {
namespace {

// "to_status node|wf" for each row of the latest apply, "-" where not first.
std::string firsts(const Outcome& out, const Uuid& node) {
  std::string text;
  for (const StatusChange& sc : out.effects.status_changes) {
    if (sc.node_id != node) continue;
    if (!text.empty()) text += ", ";
    text += sc.to_status + " " + (sc.first_for_node ? "node" : "-") + "|" +
            (sc.first_for_workflow ? "wf" : "-");
  }
  return text;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(index_hints, EngineFixture)

BOOST_AUTO_TEST_CASE(only_the_creating_apply_marks_the_workflow_created) {
  BOOST_TEST(create().effects.workflow_created);
  const Outcome& again = ok(ev::CreateWorkflow{wf, user, "wf-name", "decider", "{\"a\":1}"});
  BOOST_TEST(!again.effects.workflow_created);
  signal();
  BOOST_TEST(!last.effects.workflow_created);
}

BOOST_AUTO_TEST_CASE(created_nodes_are_the_new_ones_among_the_changed) {
  create();
  const Uuid s = signal();
  BOOST_TEST(names(last.effects.created_nodes) == name(s));
  BOOST_TEST(changed() == name(s));
  delivered(s);
  BOOST_TEST(last.effects.created_nodes.empty());
  report(s, W::processing);
  const std::vector<Uuid> kids = decide(s, {Spec("a"), Spec("b")});
  BOOST_TEST(names(last.effects.created_nodes) == "a, b");
  report(s, W::completed);  // schedules a: changed, not created
  BOOST_TEST(last.effects.created_nodes.empty());
  BOOST_TEST(!last.effects.changed_nodes.empty());
}

BOOST_AUTO_TEST_CASE(rows_say_when_their_node_and_workflow_first_reach_a_word) {
  const std::vector<Uuid> kids = running_children({Spec("a"), Spec("b")});
  const Uuid a = kids[0];
  // The signal was born ready/ready (no row) and has since been through
  // started ... complete, so only ready is new to the workflow; the client's
  // "ready" is the same word as the server's, so it is not new to a either.
  BOOST_TEST(firsts(last, a) ==
             "ready node|wf, ready -|-, started node|-, sent_to_client node|-, received node|-");
  report(a, W::processing);
  BOOST_TEST(firsts(last, a) == "processing node|wf");
  report(a, W::completed);
  BOOST_TEST(firsts(last, a) == "complete node|-, processing_children node|-, complete -|-");
  BOOST_TEST(firsts(last, kids[1]) == "started node|-, sent_to_client node|-, received node|-");
}

BOOST_AUTO_TEST_CASE(a_word_reached_again_after_a_retry_is_not_new) {
  const Uuid a = sent_activity(Spec("a").retries(1).interval(10));
  report(a, W::errored);
  BOOST_TEST(firsts(last, a) == "errored node|wf, retrying node|wf");
  advance(11 * kSec);
  fire(TimerKind::retry, a);
  BOOST_TEST(firsts(last, a) == "ready -|-, ready -|-, started -|-, sent_to_client -|-, received -|-");
  report(a, W::errored);
  BOOST_TEST(firsts(last, a) == "errored -|-, retries_exhausted node|wf");
}

BOOST_AUTO_TEST_CASE(the_workflow_mask_is_rebuilt_from_the_nodes_on_reload) {
  const Uuid a = sent_activity(Spec("a").retries(0));
  report(a, W::errored);
  // A workflow actor reloads its state from the stored nodes.
  state = WorkflowState(state.workflow(), state.nodes());
  BOOST_TEST((state.past_statuses() & status_word_bit("errored")) != 0u);
  BOOST_TEST((state.past_statuses() & status_word_bit("paused")) == 0u);
  restart(a);
  BOOST_TEST(firsts(last, a).find("errored") == std::string::npos);
  BOOST_TEST(firsts(last, a).find("ready -|-") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(words_map_to_one_bit_each) {
  BOOST_TEST(status_word_bit("complete") == status_word_bit(to_string(ClientStatus::complete)));
  BOOST_TEST(status_word_bit("received") != 0u);
  BOOST_TEST(status_word_bit("received") != status_word_bit("processing"));
  BOOST_TEST(status_word_bit("nonsense") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::engine::test
