// Workflow-level events: create/find (docs/contract.md §10.1), signals
// (docs/contract.md §9.1, §10.2) and the workflow flags complete / pause /
// resume (docs/contract.md §4.10, §10.3, §10.4).
#include "tests/unit/engine_fixture.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::engine::test {

BOOST_FIXTURE_TEST_SUITE(create_workflow, EngineFixture)

BOOST_AUTO_TEST_CASE(creates_with_fields_and_timestamps) {
  const Outcome& out = create();
  BOOST_TEST_REQUIRE(std::holds_alternative<Workflow>(out.reply));
  const Workflow& w = std::get<Workflow>(out.reply);
  BOOST_TEST((w.id == wf));
  BOOST_TEST((w.user_id == user));
  BOOST_TEST(w.name == "wf-name");
  BOOST_TEST(w.decider == "decider");
  BOOST_TEST(w.subject == "{\"a\":1}");
  BOOST_TEST(!w.complete);
  BOOST_TEST(!w.paused);
  BOOST_TEST(w.created_at == kT0);
  BOOST_TEST(w.updated_at == kT0);
  BOOST_TEST(w.next_seq == 1u);
  BOOST_TEST(out.effects.workflow_changed);
  BOOST_TEST(out.effects.changed_nodes.empty());
  BOOST_TEST(state.exists());
  BOOST_TEST(dump(state.workflow()) == dump(w));
}

BOOST_AUTO_TEST_CASE(second_create_finds_the_existing_workflow) {
  create();
  const std::string before = snapshot();
  advance(5 * kSec);
  // Same id (the caller derives it from user, name, subject): a different
  // decider still returns the original (docs/contract.md §10.1).
  const Outcome& out = ok(ev::CreateWorkflow{wf, user, "wf-name", "other-decider", "{\"a\":1}"});
  BOOST_TEST(std::get<Workflow>(out.reply).decider == "decider");
  BOOST_TEST(std::get<Workflow>(out.reply).created_at == kT0);
  BOOST_TEST(out.effects.persists_nothing());
  BOOST_TEST(snapshot() == before);
}

BOOST_AUTO_TEST_CASE(another_users_id_is_not_found) {
  create();
  const Error e = fails(ev::CreateWorkflow{wf, other_user, "wf-name", "decider", "{\"a\":1}"});
  BOOST_TEST((backbeat::test::http_status(e) == 404));
  BOOST_TEST(backbeat::test::error_class(e) == "ActiveRecord::RecordNotFound");
  BOOST_TEST(e.message == "Couldn't find Backbeat::Workflow with id=" + wf.str());
}

BOOST_AUTO_TEST_CASE(missing_fields_are_bad_requests) {
  const ev::CreateWorkflow full{wf, user, "n", "d", "{}"};
  auto without = [&](auto field) {
    ev::CreateWorkflow e = full;
    e.*field = "";
    return fails(e);
  };
  for (auto field : {&ev::CreateWorkflow::name, &ev::CreateWorkflow::decider,
                     &ev::CreateWorkflow::subject}) {
    const Error e = without(field);
    BOOST_TEST((backbeat::test::http_status(e) == 400));
    BOOST_TEST(backbeat::test::error_class(e) == "Backbeat::ValidationError");
  }
  BOOST_TEST(!state.exists());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(signal, EngineFixture)

BOOST_AUTO_TEST_CASE(reply_is_the_ready_ready_snapshot) {
  create();
  const Uuid s = signal(Spec("hello").mode(Mode::non_blocking).retries(2).interval(7));
  const Node& reply = std::get<Node>(last.reply);
  BOOST_TEST(status_pair(reply.server_status, reply.client_status) == "ready/ready");
  BOOST_TEST(reply.name == "hello");
  BOOST_TEST(reply.legacy_type == "decision");
  BOOST_TEST((reply.mode == Mode::blocking));  // forced (docs/contract.md §4.2)
  BOOST_TEST(!reply.parent_id.has_value());
  BOOST_TEST(reply.seq == 1u);
  BOOST_TEST(reply.fires_at == kT0 - kSec);
  BOOST_TEST(reply.retries_remaining == 2);
  BOOST_TEST(reply.retry_interval_s == 7);
  BOOST_TEST((reply.workflow_id == wf));
  BOOST_TEST((reply.user_id == user));
  BOOST_TEST(s.str() == "00000000-0000-4000-0000-000000000001");
  BOOST_TEST(state.workflow().next_seq == 2u);
}

BOOST_AUTO_TEST_CASE(is_scheduled_and_sent_in_the_same_apply) {
  create();
  const Uuid s = signal();
  BOOST_TEST(status(s) == "sent_to_client/received");
  // A signal is born ready: no ->ready rows; StartNode writes server first.
  BOOST_TEST(rows(s) == "S ready>started, S started>sent_to_client, C ready>received");
  for (const StatusChange& sc : last.effects.status_changes) {
    BOOST_TEST(sc.created_at == kT0);
    BOOST_TEST(sc.response == "{}");
  }
  BOOST_TEST(last.effects.status_changes.at(0).index == 0u);
  BOOST_TEST(last.effects.status_changes.at(2).index == 2u);
  BOOST_TEST(node(s).status_change_count == 3u);
  BOOST_TEST(callbacks() == "sig#1");
  BOOST_TEST(inflight_set() == "sig");
  BOOST_TEST(node(s).callback_pending);
  BOOST_TEST(node(s).attempt == 1u);
  BOOST_TEST(changed() == "sig");
  BOOST_TEST(last.effects.workflow_changed);
  // Deadline: the default client timeout from the send (docs/contract.md §4.8).
  BOOST_TEST(node(s).complete_by.value_or(0) == kT0 + 172800 * kSec);
  BOOST_TEST(timers_set() == "deadline sig @+172800s");
  BOOST_TEST(timers_cleared() == "");
}

BOOST_AUTO_TEST_CASE(client_data_timeout_sets_the_deadline) {
  create();
  const Uuid s = signal(Spec("sig").timeout(30));
  BOOST_TEST(node(s).complete_by.value_or(0) == kT0 + 30 * kSec);
  BOOST_TEST(timers_set() == "deadline sig @+30s");
}

BOOST_AUTO_TEST_CASE(future_fires_at_waits_for_its_timer) {
  create();
  const Uuid s = signal(Spec("later").fires_at(kT0 + 60 * kSec));
  BOOST_TEST(status(s) == "started/ready");
  BOOST_TEST(callbacks() == "");
  BOOST_TEST(timers_set() == "start_node later @+60s");
  advance(60 * kSec);
  fire(TimerKind::start_node, s);
  BOOST_TEST(status(s) == "sent_to_client/received");
  BOOST_TEST(callbacks() == "later#1");
  BOOST_TEST(timers_cleared() == "start_node later @+0s");
}

BOOST_AUTO_TEST_CASE(signals_are_strictly_serial) {
  const Uuid first = sent_signal();
  const Uuid second = signal(Spec("second"));
  BOOST_TEST(status(second) == "ready/ready");
  BOOST_TEST(callbacks() == "");
  const Uuid third = signal(Spec("third"));
  BOOST_TEST(status(third) == "ready/ready");
  // Processing or posting decisions does not release the next signal ...
  report(first, W::processing);
  BOOST_TEST(status(second) == "ready/ready");
  const Uuid child = decide(first, Spec("child"));
  report(first, W::completed);
  BOOST_TEST(status(first) == "processing_children/complete");
  BOOST_TEST(status(second) == "ready/ready");
  // ... only the end of the first signal's subtree does.
  report(child, W::completed);
  BOOST_TEST(status(first) == "complete/complete");
  BOOST_TEST(status(second) == "sent_to_client/received");
  BOOST_TEST(status(third) == "ready/ready");
  BOOST_TEST(callbacks() == "second#1");
  report(second, W::completed);
  BOOST_TEST(status(second) == "complete/complete");
  BOOST_TEST(status(third) == "sent_to_client/received");
  BOOST_TEST(callbacks() == "third#1");
}

BOOST_AUTO_TEST_CASE(waits_behind_an_exhausted_signal) {
  create();
  const Uuid first = signal(Spec("first").retries(0));
  report(first, W::errored);
  BOOST_TEST(status(first) == "retries_exhausted/errored");
  const Uuid second = signal(Spec("second"));
  BOOST_TEST(status(second) == "ready/ready");
  report(first, W::resolved);
  BOOST_TEST(status(first) == "complete/resolved");
  BOOST_TEST(status(second) == "sent_to_client/received");
}

BOOST_AUTO_TEST_CASE(signal_on_a_complete_workflow_is_rejected) {
  create();
  set_flag(ev::WorkflowFlag::complete);
  const Error e = fails(ev::Signal{wf, user, Spec("sig")});
  BOOST_TEST((backbeat::test::http_status(e) == 400));
  BOOST_TEST(backbeat::test::error_class(e) == "Backbeat::WorkflowComplete");
  BOOST_TEST(e.message == "Backbeat::WorkflowComplete");
}

BOOST_AUTO_TEST_CASE(unknown_or_foreign_workflow_is_not_found) {
  BOOST_TEST((backbeat::test::http_status(fails(ev::Signal{wf, user, Spec("sig")})) == 404));
  create();
  BOOST_TEST((backbeat::test::http_status(fails(ev::Signal{wf, other_user, Spec("sig")})) == 404));
}

BOOST_AUTO_TEST_CASE(validation) {
  create();
  BOOST_TEST((backbeat::test::http_status(fails(ev::Signal{wf, user, Spec("")})) == 400));
  BOOST_TEST(
      (backbeat::test::http_status(fails(ev::Signal{wf, user, Spec("s").retries(-1)})) == 400));
  BOOST_TEST(
      (backbeat::test::http_status(fails(ev::Signal{wf, user, Spec("s").interval(-1)})) == 400));
  BOOST_TEST(ids.count() == 0u);
}

BOOST_AUTO_TEST_CASE(parent_link_registers_with_the_target) {
  create();
  const Uuid target{0x9, 0x9};  // may live in another workflow (docs/contract.md §4.6)
  const Uuid s = signal(Spec("linked").link(target));
  BOOST_TEST(links() == "linked->" + target.str() + " registered");
  BOOST_TEST((node(s).parent_link_id == target));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(workflow_flags, EngineFixture)

BOOST_AUTO_TEST_CASE(complete_only_sets_the_flag) {
  const Uuid s = sent_signal();
  advance(kSec);
  const Outcome& out = set_flag(ev::WorkflowFlag::complete);
  BOOST_TEST(std::holds_alternative<std::monostate>(out.reply));
  BOOST_TEST(state.workflow().complete);
  BOOST_TEST(state.workflow().updated_at == kT0 + kSec);
  BOOST_TEST(out.effects.workflow_changed);
  BOOST_TEST(out.effects.changed_nodes.empty());
  BOOST_TEST(status(s) == "sent_to_client/received");
  // Nothing but signals checks the flag (docs/contract.md §10.3, §17.22).
  report(s, W::completed);
  BOOST_TEST(status(s) == "complete/complete");
}

BOOST_AUTO_TEST_CASE(flags_on_a_foreign_workflow_are_not_found) {
  create();
  const Error e = fails(ev::SetFlag{wf, other_user, ev::WorkflowFlag::pause});
  BOOST_TEST((backbeat::test::http_status(e) == 404));
}

BOOST_AUTO_TEST_CASE(a_signal_to_a_paused_workflow_parks_in_paused) {
  create();
  set_flag(ev::WorkflowFlag::pause);
  BOOST_TEST(state.workflow().paused);
  const Uuid s = signal();
  BOOST_TEST((std::get<Node>(last.reply).server_status == S::ready));
  BOOST_TEST(status(s) == "paused/ready");
  BOOST_TEST(rows(s) == "S ready>started, S started>paused");
  BOOST_TEST(callbacks() == "");
  BOOST_TEST(timers_set() == "");
  BOOST_TEST(!node(s).complete_by.has_value());  // not touched: never sent

  advance(kSec);
  set_flag(ev::WorkflowFlag::resume);
  BOOST_TEST(!state.workflow().paused);
  BOOST_TEST(status(s) == "sent_to_client/received");
  BOOST_TEST(rows(s) == "S paused>started, S started>sent_to_client, C ready>received");
  BOOST_TEST(callbacks() == "sig#1");
  BOOST_TEST(inflight_set() == "sig");
}

BOOST_AUTO_TEST_CASE(pause_leaves_nodes_at_the_client_alone) {
  const std::vector<Uuid> kids = running_children(
      {Spec("a").mode(Mode::non_blocking), Spec("b").fires_at(kT0 + 10 * kSec)});
  const Uuid a = kids[0], b = kids[1];
  BOOST_TEST(status(a) == "sent_to_client/received");
  BOOST_TEST(status(b) == "started/ready");
  set_flag(ev::WorkflowFlag::pause);
  BOOST_TEST(last.effects.changed_nodes.empty());
  report(a, W::processing);
  report(a, W::completed);
  BOOST_TEST(status(a) == "complete/complete");
  // The timer node is not sent while paused; it parks instead.
  advance(10 * kSec);
  fire(TimerKind::start_node, b);
  BOOST_TEST(status(b) == "paused/ready");
  BOOST_TEST(callbacks() == "");
  BOOST_TEST(timers_cleared() == "start_node b @+0s");
  BOOST_TEST(timers_set() == "");
  set_flag(ev::WorkflowFlag::resume);
  BOOST_TEST(status(b) == "sent_to_client/received");
  BOOST_TEST(callbacks() == "b#1");
}

BOOST_AUTO_TEST_CASE(resume_keeps_a_future_fires_at_as_a_timer) {
  create();
  set_flag(ev::WorkflowFlag::pause);
  const Uuid s = signal();
  BOOST_TEST(status(s) == "paused/ready");
  // Give the parked node a future fires_at, as a restored state could have.
  Node n = node(s);
  n.fires_at = kT0 + 100 * kSec;
  state.upsert(n);
  set_flag(ev::WorkflowFlag::resume);
  BOOST_TEST(status(s) == "started/ready");
  BOOST_TEST(callbacks() == "");
  BOOST_TEST(timers_set() == "start_node sig @+100s");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::engine::test
