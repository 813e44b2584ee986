// Moving a partition, storage side (actors/partition_transfer.hpp): a store
// seeded through the real engine and writer with workflows in many states
// (complete and queued for retention, paused, at the client with a
// callback in flight and a deadline, retrying, waiting for a start time,
// retries exhausted with a notification undelivered, links to other
// workflows delivered or not, resolved, canceled) is moved partition by
// partition into fresh stores, every workflow through the wire bytes. Each
// target then holds, key for key and byte for byte in every column family,
// what the source held for that partition's workflows, and nothing else.
// The source's purge afterwards leaves no key of them and every other key.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "actors/partition_transfer.hpp"
#include "engine/placement.hpp"
#include "storage/codec.hpp"
#include "storage/export_codec.hpp"
#include "storage/indexes.hpp"
#include "storage/keys.hpp"
#include "storage/search.hpp"
#include "tests/actors/engine_driver.hpp"

using namespace backbeat;
using W = engine::ev::StatusWord;

namespace {

constexpr uint32_t kPartitions = 3;

struct Seeded : test::EngineDriver {
  std::vector<Uuid> at_client_nodes;  // link targets, in other workflows

  engine::NodeSpec later(std::string name) {
    engine::NodeSpec s = test::spec(std::move(name));
    s.mode = Mode::non_blocking;
    s.fires_at = now + 3'600'000;  // a start timer
    return s;
  }

  std::vector<Uuid> decide(const Uuid& wf, const Uuid& decision,
                           std::vector<engine::NodeSpec> specs) {
    auto kids = std::get<std::vector<Uuid>>(
        apply(wf, engine::ev::AddDecisions{user.id, decision, std::move(specs)}));
    report(wf, user.id, decision, W::processing);
    report(wf, user.id, decision, W::completed);
    return kids;
  }

  Node signal(const Uuid& wf) {
    return std::get<Node>(apply(wf, engine::ev::Signal{wf, user.id, test::spec("go")}));
  }

  // One workflow of each shape per round.
  void round(int r) {
    const std::string n = std::to_string(r);
    run_workflow(R"({"done":)" + n + "}", true);

    const Uuid paused = run_workflow(R"({"paused":)" + n + "}", false);
    apply(paused, engine::ev::SetFlag{paused, user.id, engine::ev::WorkflowFlag::pause});

    const Uuid waiting = create(R"({"waiting":)" + n + "}");
    at_client_nodes.push_back(signal(waiting).id);  // sent: in flight, deadline armed

    const Uuid retrying = create(R"({"retrying":)" + n + "}");
    auto kids = decide(retrying, signal(retrying).id, {later("later"), test::spec("a")});
    report(retrying, user.id, kids[1], W::errored);  // back-off: a retry timer

    const Uuid exhausted = create(R"({"exhausted":)" + n + "}");
    engine::NodeSpec last_try = test::spec("x", alerts.id);
    last_try.retries = 0;
    kids = decide(exhausted, signal(exhausted).id, {last_try});
    apply(exhausted, engine::ev::ClientStatusUpdate{alerts.id, kids[0], W::errored,
                                                    R"({"error":"boom"})", R"("boom")"});

    const Uuid linking = create(R"({"linking":)" + n + "}");
    engine::NodeSpec linked = test::spec("linked");
    linked.parent_link_id = at_client_nodes.back();
    kids = decide(linking, signal(linking).id, {linked});
    if (r % 2 == 0) deliver_link(kids[0]);

    const Uuid mixed = create(R"({"mixed":)" + n + "}");
    engine::NodeSpec q = test::spec("q"), c = test::spec("c");
    q.mode = c.mode = Mode::non_blocking;
    q.retries = 0;
    kids = decide(mixed, signal(mixed).id, {q, c, test::spec("p", other.id)});
    report(mixed, user.id, kids[0], W::errored);
    report(mixed, user.id, kids[0], W::resolved);
    report(mixed, user.id, kids[1], W::canceled);
    report(mixed, other.id, kids[2], W::processing);
  }

  // What the outbox does with a link update: the target applies it and
  // deletes the record in the same batch.
  void deliver_link(const Uuid& link_node) {
    auto outbox = store->load_outbox();
    BOOST_REQUIRE(outbox.ok());
    for (const storage::OutboxEntry& e : *outbox) {
      if (e.kind != storage::OutboxEntry::Kind::link || e.link_node != link_node) continue;
      auto where = store->find_node(e.target_node);
      BOOST_REQUIRE(where.ok() && where->has_value());
      apply((*where)->workflow_id,
            engine::ev::LinkUpdate{e.target_node, e.link_node, e.finished, e.id});
      return;
    }
    BOOST_FAIL("no link update from the node");
  }

  Seeded() {
    for (int r = 0; r < 4; ++r) round(r);
  }

  std::vector<Uuid> workflows_of(uint32_t partition) const {
    std::vector<Uuid> out;
    for (const auto& [id, st] : states)
      if (partition_of_workflow(id, kPartitions) == partition) out.push_back(id);
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::unique_ptr<storage::Store> open_store(const backbeat::test::TempDir& dir) {
  auto opened = storage::Store::open(dir.str());
  BOOST_REQUIRE(opened.ok());
  return std::move(*opened);
}

std::vector<Uuid> list_in_pages(const storage::Store& store, uint32_t partition, size_t limit) {
  std::vector<Uuid> out;
  std::optional<Uuid> after;
  for (;;) {
    auto page = storage::list_partition_workflows(store, partition, kPartitions, after, limit);
    BOOST_REQUIRE(page.ok());
    out.insert(out.end(), page->begin(), page->end());
    if (page->size() < limit) return out;
    after = page->back();
  }
}

// Export, through the wire bytes, as the old owner sends it.
storage::ExportedWorkflow over_the_wire(const storage::Store& store, const Uuid& id,
                                        const std::vector<storage::OutboxEntry>* outbox) {
  auto ex = outbox ? storage::export_workflow(store, id, *outbox)
                   : storage::export_workflow(store, id);
  BOOST_REQUIRE(ex.ok() && ex->has_value());
  auto bytes = storage::encode_export(**ex);
  BOOST_REQUIRE(bytes.ok());
  auto back = storage::decode_export(*bytes);
  BOOST_REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message));
  auto again = storage::encode_export(*back);
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(*again == *bytes);
  return std::move(back).value();
}

size_t distinct_keys(const storage::WriteSet& set) {
  std::set<std::pair<storage::Family, std::string>> keys;
  for (const storage::WriteOp& op : set.ops()) keys.emplace(op.family, op.key);
  return keys.size();
}

void write(storage::Store& store, Result<storage::WriteSet> set) {
  BOOST_REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.error().message));
  BOOST_REQUIRE(store.write(std::move(set).value(), true).ok());
}

// The entries of `all` that belong to one of `workflows` (users excepted:
// they are every member's, not a partition's).
test::Snapshot owned_by(const test::Snapshot& all, const test::KeyOwners& owners,
                        const std::vector<Uuid>& workflows) {
  test::Snapshot out;
  for (const auto& [where, value] : all) {
    if (where.first == int(storage::Family::users)) continue;
    for (const Uuid& o : owners.owners(where.first, where.second, value))
      if (std::find(workflows.begin(), workflows.end(), o) != workflows.end())
        out.emplace(where, value);
  }
  return out;
}

std::string_view family_of(const std::pair<int, std::string>& where) {
  return storage::family_name(storage::Family(where.first));
}

void expect_same(const test::Snapshot& got, const test::Snapshot& want) {
  BOOST_TEST(got.size() == want.size());
  for (const auto& [where, value] : want) {
    auto it = got.find(where);
    BOOST_TEST((it != got.end()), "missing from family " << family_of(where));
    if (it != got.end())
      BOOST_TEST((it->second == value), "differs in family " << family_of(where));
  }
  for (const auto& [where, value] : got)
    BOOST_TEST((want.count(where) == 1u), "extra in family " << family_of(where));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(partition_transfer)

BOOST_AUTO_TEST_CASE(the_seed_has_every_kind_of_key_and_each_key_one_owner) {
  Seeded d;
  const test::Snapshot all = d.snapshot();
  const test::KeyOwners owners(d.states);
  std::map<storage::Family, size_t> per_family;
  std::set<TimerKind> timer_kinds;
  std::set<storage::OutboxEntry::Kind> message_kinds;
  size_t queued = 0;
  for (const auto& [where, value] : all) {
    const auto family = storage::Family(where.first);
    ++per_family[family];
    if (family == storage::Family::users) continue;
    BOOST_TEST(owners.owners(where.first, where.second, value).size() == 1u,
               "owners of a key in " << storage::family_name(family));
    if (family == storage::Family::timers)
      timer_kinds.insert(storage::keys::parse_timer(where.second)->kind);
    if (family == storage::Family::outbox)
      message_kinds.insert(storage::decode<storage::OutboxEntry>(value)->kind);
    if (family == storage::Family::search &&
        where.second.starts_with(storage::index::completed_workflows()))
      ++queued;
  }
  BOOST_TEST(timer_kinds.size() == 3u);    // start, retry, deadline
  BOOST_TEST(message_kinds.size() == 2u);  // a notification, a link update
  BOOST_TEST(per_family[storage::Family::inflight] >= 4u);
  BOOST_TEST(queued == 4u);
  for (uint32_t p = 0; p < kPartitions; ++p) BOOST_TEST(d.workflows_of(p).size() >= 3u);
}

BOOST_AUTO_TEST_CASE(every_partition_moves_key_for_key_into_an_empty_store) {
  Seeded d;
  const test::Snapshot source = d.snapshot();
  const test::KeyOwners owners(d.states);
  auto outbox = d.store->load_outbox();
  BOOST_REQUIRE(outbox.ok());
  size_t moved = 0;
  for (uint32_t p = 0; p < kPartitions; ++p) {
    const std::vector<Uuid> mine = d.workflows_of(p);
    for (size_t limit : {1u, 4u, 100u}) BOOST_TEST((list_in_pages(*d.store, p, limit) == mine));

    backbeat::test::TempDir dir("backbeat-move");
    auto target = open_store(dir);
    bool whole_outbox_scan = false;
    for (const Uuid& id : mine) {
      whole_outbox_scan = !whole_outbox_scan;  // both forms of export_workflow
      const auto ex = over_the_wire(*d.store, id, whole_outbox_scan ? nullptr : &*outbox);
      BOOST_TEST(ex.queued_for_retention == ex.workflow.complete);
      auto batch = actors::import_workflow(ex);
      BOOST_REQUIRE(batch.ok());
      BOOST_TEST(distinct_keys(*batch) == batch->count());  // each past status once, too
      write(*target, std::move(batch));
    }
    expect_same(test::snapshot_of(*target), owned_by(source, owners, mine));
    moved += mine.size();

    // And it answers reads as the source does.
    auto there = storage::search_workflows(*target, d.user.id, {}, {100});
    auto here = storage::search_workflows(*d.store, d.user.id, {}, {100});
    BOOST_REQUIRE(there.ok() && here.ok());
    BOOST_TEST(there->rows.size() == mine.size());
    storage::SearchFilter errored;
    errored.past_status = "errored";
    auto errored_there = storage::search_nodes(*target, d.user.id, errored, {100});
    BOOST_REQUIRE(errored_there.ok());
    for (const storage::NodeHit& hit : errored_there->rows)
      BOOST_TEST(partition_of_workflow(hit.workflow.id, kPartitions) == p);
  }
  BOOST_TEST(moved == d.states.size());
}

BOOST_AUTO_TEST_CASE(purging_a_moved_partition_leaves_none_of_its_keys_and_all_others) {
  Seeded d;
  const test::Snapshot before = d.snapshot();
  const test::KeyOwners owners(d.states);
  const uint32_t p = 1;
  const std::vector<Uuid> gone = d.workflows_of(p);
  for (const Uuid& id : gone) write(*d.store, actors::purge_workflow_writes(*d.store, id));
  const test::Snapshot after = d.snapshot();

  const test::Snapshot removed = owned_by(before, owners, gone);
  BOOST_TEST(!removed.empty());
  test::Snapshot kept;
  for (const auto& entry : before)
    if (!removed.count(entry.first)) kept.insert(entry);
  expect_same(after, kept);
  for (const Uuid& id : gone) {
    BOOST_TEST(list_in_pages(*d.store, p, 100).empty());
    auto ex = storage::export_workflow(*d.store, id);
    BOOST_TEST((ex.ok() && !ex->has_value()));
    auto again = actors::purge_workflow_writes(*d.store, id);  // nothing left to delete
    BOOST_TEST((again.ok() && again->empty()));
  }
}

BOOST_AUTO_TEST_CASE(a_stale_copy_on_the_target_is_replaced_in_one_batch) {
  Seeded d;
  const Uuid wf = d.create(R"({"stale":1})");
  const Uuid go = d.signal(wf).id;
  backbeat::test::TempDir dir("backbeat-move");
  auto target = open_store(dir);
  write(*target, actors::import_workflow(over_the_wire(*d.store, wf, nullptr)));

  // The workflow moves on at the source: the copy's status entries, timers
  // and in-flight marker are all out of date now.
  auto kids = d.decide(wf, go, {d.later("later"), test::spec("a")});
  d.report(wf, d.user.id, kids[1], W::errored);
  const auto fresh = over_the_wire(*d.store, wf, nullptr);
  auto purge = actors::purge_workflow_writes(*target, wf);
  auto import = actors::import_workflow(fresh);
  BOOST_REQUIRE(purge.ok() && import.ok());
  std::vector<storage::WriteSet> batch;
  batch.push_back(std::move(purge).value());
  batch.push_back(std::move(import).value());
  BOOST_REQUIRE(target->write(std::span<const storage::WriteSet>(batch), true).ok());

  const test::KeyOwners owners(d.states);
  expect_same(test::snapshot_of(*target), owned_by(d.snapshot(), owners, {wf}));
}

BOOST_AUTO_TEST_CASE(an_export_that_does_not_fit_together_writes_nothing) {
  Seeded d;
  auto ex = storage::export_workflow(*d.store, d.workflows_of(0).front());
  BOOST_REQUIRE(ex.ok() && ex->has_value());
  storage::ExportedWorkflow bad = **ex;
  BOOST_REQUIRE(!bad.nodes.empty());
  bad.nodes.back().workflow_id = Uuid{0x77, 0x77};
  BOOST_TEST(!actors::import_workflow(bad).ok());
}

BOOST_AUTO_TEST_CASE(damaged_bytes_of_a_real_workflow_never_crash_the_import) {
  Seeded d;
  std::optional<std::string> bytes;
  for (const auto& [id, st] : d.states) {  // one with messages to send
    auto ex = storage::export_workflow(*d.store, id);
    BOOST_REQUIRE(ex.ok() && ex->has_value());
    if ((*ex)->outbox.empty()) continue;
    bytes = *storage::encode_export(**ex);
    break;
  }
  BOOST_REQUIRE(bytes);
  size_t refused = 0, imported = 0;
  for (size_t at = 0; at < bytes->size(); ++at) {
    for (unsigned char mask : {0x01, 0xFF}) {
      std::string damaged = *bytes;
      damaged[at] = static_cast<char>(static_cast<unsigned char>(damaged[at]) ^ mask);
      auto decoded = storage::decode_export(damaged);
      if (!decoded) {
        ++refused;
        continue;
      }
      auto batch = actors::import_workflow(*decoded);
      imported += batch.ok();
    }
  }
  BOOST_TEST(refused > 0u);
  BOOST_TEST(imported > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
