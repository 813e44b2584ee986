// A workflow leaving its partition (storage/workflow_export.hpp): which
// workflows a partition holds, page by page; what an export carries,
// outbox messages attributed to their sender; and the wire bytes, which
// come from another machine: every truncation, padding, flipped byte,
// impossible count or inconsistent part is an error, never a crash.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <vector>

#include "engine/placement.hpp"
#include "storage/codec.hpp"
#include "storage/export_codec.hpp"
#include "storage/workflow_export.hpp"
#include "tests/storage/samples.hpp"
#include "tests/storage/store_fixture.hpp"
#include "tests/support/error_view.hpp"

using namespace backbeat;
using namespace backbeat::storage;
using namespace backbeat::storage::test;

namespace {

constexpr uint32_t kPartitions = 4;

// Two nodes, their history, a notification and a link update it sent.
ExportedWorkflow sample_export() {
  ExportedWorkflow ex;
  ex.workflow = sample_workflow(id(2));
  ex.nodes = {sample_node(id(2), id(3), 1), sample_node(id(2), id(4), 2)};
  ex.history = {sample_change(id(3), 0), sample_change(id(3), 1), sample_change(id(4), 0)};
  ex.outbox = {sample_outbox(id(8)), sample_link_message()};
  ex.queued_for_retention = true;
  return ex;
}

std::string bytes_of(const ExportedWorkflow& ex) {
  auto bytes = encode_export(ex);
  BOOST_TEST_REQUIRE(bytes.ok());
  return std::move(bytes).value();
}

bool refused(std::string_view bytes) {
  auto decoded = decode_export(bytes);
  return !decoded.ok() &&
         backbeat::test::error_class(decoded.error()) == "Backbeat::StorageCorruption";
}

void put_u32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

void check_same(const ExportedWorkflow& a, const ExportedWorkflow& b) {
  BOOST_TEST(same(a.workflow, b.workflow));
  BOOST_TEST_REQUIRE(a.nodes.size() == b.nodes.size());
  for (size_t i = 0; i < a.nodes.size(); ++i) BOOST_TEST(same(a.nodes[i], b.nodes[i]));
  BOOST_TEST_REQUIRE(a.history.size() == b.history.size());
  for (size_t i = 0; i < a.history.size(); ++i) BOOST_TEST(same(a.history[i], b.history[i]));
  BOOST_TEST((a.outbox == b.outbox));
  BOOST_TEST(a.queued_for_retention == b.queued_for_retention);
}

Uuid workflow_number(uint64_t i) { return Uuid{0x5000 + i * 0x9E3779B97F4A7C15ull, i}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(workflow_export)

BOOST_AUTO_TEST_CASE(an_export_survives_the_wire_field_for_field) {
  const ExportedWorkflow ex = sample_export();
  BOOST_TEST_REQUIRE(check_export(ex).ok());
  const std::string bytes = bytes_of(ex);
  auto back = decode_export(bytes);
  BOOST_TEST_REQUIRE(back.ok(), (back.ok() ? "" : back.error().message));
  check_same(ex, *back);
  BOOST_TEST(bytes_of(*back) == bytes);

  ExportedWorkflow bare;  // no nodes, history or messages, not queued
  bare.workflow = sample_workflow(id(2));
  auto bare_back = decode_export(bytes_of(bare));
  BOOST_TEST_REQUIRE(bare_back.ok());
  check_same(bare, *bare_back);
}

BOOST_AUTO_TEST_CASE(every_truncation_and_any_padding_is_refused) {
  const std::string bytes = bytes_of(sample_export());
  for (size_t n = 0; n < bytes.size(); ++n)
    BOOST_TEST(refused(std::string_view(bytes).substr(0, n)), "prefix of " << n << " bytes");
  BOOST_TEST(refused(bytes + '\0'));
  BOOST_TEST(refused(bytes + "BBWX"));
}

BOOST_AUTO_TEST_CASE(a_flipped_byte_anywhere_is_an_error_or_a_consistent_export) {
  const std::string bytes = bytes_of(sample_export());
  size_t errors = 0;
  for (size_t at = 0; at < bytes.size(); ++at) {
    for (unsigned char mask : {0x01, 0x80, 0xFF}) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(static_cast<unsigned char>(damaged[at]) ^ mask);
      auto decoded = decode_export(damaged);
      if (!decoded) {
        ++errors;
        continue;
      }
      // Text and numbers may change into other valid values; the parts
      // still fit together, which is all a batch is built from.
      BOOST_TEST(check_export(*decoded).ok());
    }
  }
  BOOST_TEST(errors > bytes.size());  // lengths, counts, ids, enums, framing
}

BOOST_AUTO_TEST_CASE(headers_flags_and_counts_that_cannot_be_are_refused) {
  const std::string bytes = bytes_of(sample_export());
  std::string magic = bytes;
  magic[0] = 'X';
  BOOST_TEST(refused(magic));
  std::string version = bytes;
  version[4] = 2;
  BOOST_TEST(refused(version));
  std::string flags = bytes;
  flags.back() = '\x02';
  BOOST_TEST(refused(flags));

  // A count of four billion nodes in a few bytes: refused before any
  // allocation, as is a record length past the end.
  auto wf = encode(sample_workflow(id(2)));
  BOOST_TEST_REQUIRE(wf.ok());
  std::string head = "BBWX\x01";
  put_u32(head, static_cast<uint32_t>(wf->size()));
  head += *wf;
  std::string huge_count = head;
  put_u32(huge_count, 0xFFFFFFFFu);
  huge_count += std::string(64, '\0');
  BOOST_TEST(refused(huge_count));
  std::string long_record = head;
  put_u32(long_record, 1);
  put_u32(long_record, 0x7FFFFFFFu);
  long_record += std::string(64, '\0');
  BOOST_TEST(refused(long_record));
  std::string garbage_record = head;
  put_u32(garbage_record, 1);
  put_u32(garbage_record, 16);
  garbage_record += std::string(16, '\x7F');
  BOOST_TEST(refused(garbage_record));
}

BOOST_AUTO_TEST_CASE(parts_that_do_not_fit_together_are_refused) {
  auto refuses = [](auto&& damage) {
    ExportedWorkflow ex = sample_export();
    damage(ex);
    BOOST_TEST(!check_export(ex).ok());
    BOOST_TEST(refused(bytes_of(ex)));
  };
  refuses([](ExportedWorkflow& ex) { ex.workflow.id = Uuid{}; });
  refuses([](ExportedWorkflow& ex) { ex.nodes[1].workflow_id = id(99); });
  refuses([](ExportedWorkflow& ex) { ex.nodes[1].id = ex.nodes[0].id; });
  refuses([](ExportedWorkflow& ex) { ex.history[2].node_id = id(99); });
  refuses([](ExportedWorkflow& ex) { ex.history[1].index = ex.history[0].index; });
  refuses([](ExportedWorkflow& ex) { ex.outbox[0].workflow_id = id(99); });
  refuses([](ExportedWorkflow& ex) { ex.outbox[1].id = ex.outbox[0].id; });
  refuses([](ExportedWorkflow& ex) { ex.workflow.complete = false; });  // but queued
  refuses([](ExportedWorkflow& ex) {  // an old notification names no sender
    ex.outbox[0].workflow_id = Uuid{};
  });
}

BOOST_AUTO_TEST_CASE(only_messages_the_workflow_sent_leave_with_it) {
  const Uuid wf = id(2);
  const std::vector<Node> nodes = {sample_node(wf, id(3), 1)};
  OutboxEntry mine = sample_outbox(id(20));
  OutboxEntry others = sample_outbox(id(21));
  others.workflow_id = id(77);
  OutboxEntry old_link = sample_link_message();  // from before workflow_id: by sending node
  old_link.workflow_id = Uuid{};
  old_link.link_node = id(3);
  OutboxEntry old_link_elsewhere = old_link;
  old_link_elsewhere.link_node = id(78);
  OutboxEntry old_notification = sample_outbox(id(22));
  old_notification.workflow_id = Uuid{};
  BOOST_TEST(sent_by(mine, wf, nodes));
  BOOST_TEST(!sent_by(others, wf, nodes));
  BOOST_TEST(sent_by(old_link, wf, nodes));
  BOOST_TEST(!sent_by(old_link_elsewhere, wf, nodes));
  BOOST_TEST(!sent_by(old_notification, wf, nodes));
}

BOOST_FIXTURE_TEST_CASE(an_export_holds_what_the_store_holds_for_the_workflow, StoreFixture) {
  const Uuid wf = id(2);
  WriteSet w;
  w.put_workflow(sample_workflow(wf));
  w.put_workflow(sample_workflow(id(30)));  // a neighbour: none of its records come along
  w.put_node(sample_node(wf, id(4), 2));
  w.put_node(sample_node(wf, id(3), 1));
  w.put_node(sample_node(id(30), id(31), 1));
  w.add_status_change(wf, sample_change(id(3), 0));
  w.add_status_change(wf, sample_change(id(4), 0));
  w.add_status_change(id(30), sample_change(id(31), 0));
  OutboxEntry mine = sample_outbox(id(20));
  OutboxEntry others = sample_outbox(id(21));
  others.workflow_id = id(30);
  w.put_outbox(mine);
  w.put_outbox(others);
  write(std::move(w));

  auto ex = must(export_workflow(*store, wf));
  BOOST_TEST_REQUIRE(ex.has_value());
  BOOST_TEST(same(ex->workflow, sample_workflow(wf)));
  BOOST_TEST_REQUIRE(ex->nodes.size() == 2u);
  BOOST_TEST((ex->nodes[0].id == id(3)));  // by seq
  BOOST_TEST((ex->nodes[1].id == id(4)));
  BOOST_TEST(ex->history.size() == 2u);
  BOOST_TEST_REQUIRE(ex->outbox.size() == 1u);
  BOOST_TEST((ex->outbox[0] == mine));
  BOOST_TEST(!ex->queued_for_retention);  // nothing put the queue entry
  BOOST_TEST(check_export(*ex).ok());

  const std::vector<OutboxEntry> outbox = must(store->load_outbox());
  auto with_outbox = must(export_workflow(*store, wf, outbox));
  BOOST_TEST_REQUIRE(with_outbox.has_value());
  BOOST_TEST(bytes_of(*with_outbox) == bytes_of(*ex));

  BOOST_TEST(!must(export_workflow(*store, id(99))).has_value());
}

BOOST_FIXTURE_TEST_CASE(pages_of_a_partition_cover_exactly_its_workflows_in_id_order,
                        StoreFixture) {
  std::vector<std::vector<Uuid>> expected(kPartitions);
  WriteSet w;
  for (uint64_t i = 0; i < 60; ++i) {
    const Uuid wf = workflow_number(i);
    w.put_workflow(sample_workflow(wf));
    expected[partition_of_workflow(wf, kPartitions)].push_back(wf);
  }
  write(std::move(w));
  for (uint32_t p = 0; p < kPartitions; ++p) {
    std::sort(expected[p].begin(), expected[p].end());
    BOOST_TEST_REQUIRE(expected[p].size() > 5u);  // several pages each
    for (size_t limit : {1u, 4u, 1000u}) {
      std::vector<Uuid> seen;
      std::optional<Uuid> after;
      for (;;) {
        auto page = must(list_partition_workflows(*store, p, kPartitions, after, limit));
        BOOST_TEST_REQUIRE(page.size() <= limit);
        seen.insert(seen.end(), page.begin(), page.end());
        if (page.size() < limit) break;
        after = page.back();
      }
      BOOST_TEST((seen == expected[p]), "partition " << p << ", pages of " << limit);
    }
  }
  BOOST_TEST(must(list_partition_workflows(*store, 0, kPartitions, {}, 0)).empty());
  // After an id the store never held: the page starts at the next one.
  const Uuid first = expected[0].front();
  const Uuid gap = first.lo ? Uuid{first.hi, first.lo - 1} : Uuid{first.hi - 1, ~uint64_t{0}};
  auto from_gap = must(list_partition_workflows(*store, 0, kPartitions, gap, 1));
  BOOST_TEST((from_gap == std::vector<Uuid>{first}));
}

BOOST_AUTO_TEST_SUITE_END()
