// Retention's delete batch, on a real store: workflows are driven through
// the real engine and persisted by the real writer (plan_persistence), one
// batch per event as a workflow actor does, then one is purged. Afterwards
// not one key of it is left in any column family, and every key of its
// sibling (same user, same name, neighbouring index entries) is untouched.
// Also the sweep's reads: the retention queue's order, cutoff and resume,
// and the outbox messages that hold a workflow back.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>
#include <set>

#include "actors/purge_plan.hpp"
#include "actors/retention_sweep.hpp"
#include "engine/retention.hpp"
#include "storage/search.hpp"
#include "tests/actors/engine_driver.hpp"

using namespace backbeat;

using Driver = test::EngineDriver;

BOOST_AUTO_TEST_SUITE(retention_purge)

BOOST_AUTO_TEST_CASE(purge_leaves_no_key_of_the_workflow_and_every_key_of_its_sibling) {
  Driver d;
  const Uuid gone = d.run_workflow(R"({"order":1})", true);
  const Uuid sibling = d.run_workflow(R"({"order":2})", true);
  const Uuid open = d.run_workflow(R"({"order":3})", false);
  const test::Snapshot before = d.snapshot();

  // As the workflow actor holds it: loaded from the store.
  auto wf = d.store->get_workflow(gone);
  auto nodes = d.store->load_nodes(gone);
  BOOST_REQUIRE(wf.ok() && *wf && nodes.ok());
  const engine::WorkflowState state(**wf, *nodes);
  BOOST_REQUIRE(!engine::retention_blocker(state, d.now).has_value());
  auto plan = actors::plan_purge(state, *d.store, d.users, d.ids, d.now, true);
  BOOST_REQUIRE_MESSAGE(plan.ok(), (plan.ok() ? "" : plan.error().message));
  BOOST_REQUIRE(d.store->write(std::move(plan->erase), true).ok());
  const test::Snapshot after = d.snapshot();

  const test::KeyOwners owners(d.states);
  std::set<int> families_emptied;
  size_t removed = 0;
  for (const auto& [where, value] : before) {
    auto it = after.find(where);
    if (owners.owners(where.first, where.second, value).count(gone)) {
      BOOST_TEST((it == after.end()), "left behind in family " << where.first);
      families_emptied.insert(where.first);
      ++removed;
    } else {
      BOOST_TEST((it != after.end() && it->second == value),
                 "lost or changed in family " << where.first);
    }
  }
  BOOST_TEST(after.size() == before.size() - removed);
  for (storage::Family f :
       {storage::Family::workflows, storage::Family::nodes, storage::Family::node_index,
        storage::Family::status_changes, storage::Family::search})
    BOOST_TEST(families_emptied.count(int(f)) == 1u,
               "nothing deleted from " << storage::family_name(f));

  // The siblings still answer every way they are read.
  for (const Uuid& id : {sibling, open}) {
    auto kept = d.store->get_workflow(id);
    BOOST_REQUIRE(kept.ok() && *kept);
    BOOST_TEST(d.store->load_nodes(id)->size() == 3u);
  }
  auto listed = storage::search_workflows(*d.store, d.user.id, {}, {});
  BOOST_REQUIRE(listed.ok());
  BOOST_TEST(listed->rows.size() == 2u);
  for (const Workflow& w : listed->rows) BOOST_TEST((w.id == sibling || w.id == open));
  storage::SearchFilter by_name;
  by_name.name = "order";
  BOOST_TEST(storage::search_workflows(*d.store, d.user.id, by_name, {})->rows.size() == 2u);
  BOOST_TEST(storage::search_nodes(*d.store, d.other.id, {}, {})->rows.size() == 2u);
  BOOST_TEST(!d.store->find_node(state.nodes()[0].id)->has_value());
}

BOOST_AUTO_TEST_CASE(archive_line_holds_the_workflow_its_nodes_and_their_history) {
  Driver d;
  const Uuid id = d.run_workflow(R"({"order":7})", true);
  const engine::WorkflowState& state = d.states[id];
  auto plan = actors::plan_purge(state, *d.store, d.users, d.ids, d.now, true);
  BOOST_REQUIRE(plan.ok() && plan->archive_line);
  BOOST_TEST(plan->archive_line->find('\n') == std::string::npos);
  auto j = nlohmann::json::parse(*plan->archive_line);
  BOOST_TEST(j["workflow"]["id"] == id.str());
  BOOST_TEST(j["workflow"]["subject"]["order"] == 7);
  BOOST_TEST(j["workflow"]["complete"] == true);
  BOOST_REQUIRE_EQUAL(j["nodes"].size(), 3u);
  size_t rows = 0;
  for (const auto& n : j["nodes"]) {
    const Node* node = state.find(*Uuid::parse(n["id"].get<std::string>()));
    BOOST_REQUIRE(node);
    BOOST_TEST(n["statusChanges"].size() == node->status_change_count);
    for (size_t i = 0; i < n["statusChanges"].size(); ++i)
      BOOST_TEST(n["statusChanges"][i]["index"] == i);
    rows += n["statusChanges"].size();
  }
  BOOST_TEST(rows > 10u);
  auto without = actors::plan_purge(state, *d.store, d.users, d.ids, d.now, false);
  BOOST_REQUIRE(without.ok());
  BOOST_TEST(!without->archive_line.has_value());
}

BOOST_AUTO_TEST_CASE(the_queue_lists_complete_workflows_oldest_first_up_to_the_cutoff) {
  Driver d;
  std::vector<Uuid> done;
  for (int i = 0; i < 5; ++i) done.push_back(d.run_workflow("[" + std::to_string(i) + "]", true));
  d.run_workflow(R"("never complete")", false);
  const Millis created_third = d.states[done[2]].workflow().created_at;

  auto all = actors::next_candidates(*d.store, {}, d.now, 100);
  BOOST_REQUIRE(all.ok());
  BOOST_TEST((all->candidates == done));
  BOOST_TEST(!all->more);
  BOOST_TEST(all->resume_after.empty());

  // Created after the cutoff: not even looked at.
  auto early = actors::next_candidates(*d.store, {}, created_third, 100);
  BOOST_TEST((early->candidates == std::vector<Uuid>(done.begin(), done.begin() + 3)));

  // Two at a time, each step after the last.
  std::vector<Uuid> seen;
  std::string resume;
  for (int step = 0; step < 3; ++step) {
    auto s = actors::next_candidates(*d.store, resume, d.now, 2);
    BOOST_REQUIRE(s.ok());
    seen.insert(seen.end(), s->candidates.begin(), s->candidates.end());
    BOOST_TEST(s->more == (step < 2));
    resume = s->resume_after;
  }
  BOOST_TEST((seen == done));
  BOOST_TEST(resume.empty());  // the pass is over: the next starts from the front
}

BOOST_AUTO_TEST_CASE(undelivered_outbox_messages_hold_their_workflows) {
  Driver d;
  const Uuid sender = d.run_workflow("[1]", true);
  const Uuid target = d.run_workflow("[2]", true);
  const Uuid legacy = d.run_workflow("[3]", true);
  const Uuid idle = d.run_workflow("[4]", true);
  storage::WriteSet w;
  storage::OutboxEntry note;
  note.id = d.ids.next();
  note.workflow_id = sender;
  w.put_outbox(note);
  // A link update from an older build names its workflows only by node.
  storage::OutboxEntry link;
  link.id = d.ids.next();
  link.kind = storage::OutboxEntry::Kind::link;
  link.target_node = d.states[target].nodes()[0].id;
  link.link_node = d.states[legacy].nodes()[1].id;
  w.put_outbox(link);
  BOOST_REQUIRE(d.store->write(std::move(w), true).ok());
  auto busy = actors::workflows_with_undelivered(*d.store);
  BOOST_REQUIRE(busy.ok());
  BOOST_TEST(busy->count(sender) == 1u);
  BOOST_TEST(busy->count(target) == 1u);
  BOOST_TEST(busy->count(legacy) == 1u);
  BOOST_TEST(busy->count(idle) == 0u);
}

BOOST_AUTO_TEST_CASE(what_the_store_shows_decides_who_is_even_asked) {
  Driver d;
  const Uuid done = d.run_workflow("[1]", true);
  const Uuid open = d.run_workflow("[2]", false);
  BOOST_TEST(!actors::stored_blocker(*d.store, done, d.now)->has_value());
  BOOST_TEST(**actors::stored_blocker(*d.store, open, d.now) == "not complete");
  // Changed after the cutoff.
  const Millis last = engine::last_activity(d.states[done]);
  BOOST_TEST(!actors::stored_blocker(*d.store, done, last)->has_value());
  BOOST_TEST(**actors::stored_blocker(*d.store, done, last - 1) == "changed too recently");
  BOOST_TEST(**actors::stored_blocker(*d.store, Uuid{9, 9}, d.now) == "no such workflow");
}

BOOST_AUTO_TEST_SUITE_END()
