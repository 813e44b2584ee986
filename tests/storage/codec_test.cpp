#include <boost/test/unit_test.hpp>

#include <string>

#include "storage/codec.hpp"
#include "tests/storage/samples.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::storage::test {
namespace {

template <class T>
void check_round_trip(const T& record) {
  auto bytes = encode(record);
  BOOST_TEST_REQUIRE(bytes.ok());
  auto back = decode<T>(*bytes);
  BOOST_TEST_REQUIRE(back.ok());
  BOOST_TEST(same(*back, record));
}

template <class T>
void check_rejected(std::string_view bytes) {
  auto back = decode<T>(bytes);
  BOOST_TEST_REQUIRE(!back.ok());
  BOOST_TEST(backbeat::test::http_status(back.error()) == 500);
  BOOST_TEST(backbeat::test::error_class(back.error()) == "Backbeat::StorageCorruption");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(codec)

BOOST_AUTO_TEST_CASE(every_record_round_trips_with_all_fields_set) {
  check_round_trip(sample_user());
  check_round_trip(sample_workflow());
  check_round_trip(sample_node());
  check_round_trip(sample_change());
  check_round_trip(sample_outbox());
  check_round_trip(sample_link_message());
}

BOOST_AUTO_TEST_CASE(absent_optionals_stay_absent) {
  Node n = sample_node();
  n.parent_id.reset();
  n.parent_link_id.reset();
  n.complete_by.reset();
  n.timeout_s.reset();
  n.links.clear();
  check_round_trip(n);
  check_round_trip(Node{});
}

// A node run by an in-engine activity keeps its type; a client's node, and
// every node stored before the field existed, reads back with none.
BOOST_AUTO_TEST_CASE(activity_type_round_trips_set_and_empty) {
  Node n = sample_node();
  n.activity_type = "test.throw";
  check_round_trip(n);
  auto bytes = encode(n);
  BOOST_TEST_REQUIRE(bytes.ok());
  BOOST_TEST(decode<Node>(*bytes)->activity_type == "test.throw");
  n.activity_type.clear();
  check_round_trip(n);
  auto without = encode(n);
  BOOST_TEST_REQUIRE(without.ok());
  BOOST_TEST(decode<Node>(*without)->activity_type.empty());
  BOOST_TEST(without->size() < bytes->size());  // nothing stored for it
}

BOOST_AUTO_TEST_CASE(zero_values_are_not_mistaken_for_absent) {
  Node n = sample_node();
  n.parent_id = Uuid{};
  n.complete_by = 0;
  n.timeout_s = 0;
  check_round_trip(n);
}

BOOST_AUTO_TEST_CASE(text_keeps_embedded_nul_and_utf8) {
  User u = sample_user();
  u.name = std::string("a\0b", 3) + "\xC3\xA9";
  check_round_trip(u);
}

// decode reads at most twice a record's size (a list of empty structs can
// claim millions of elements in a few bytes: corpus file
// tests/fuzz/corpus/fuzz_record_decoding/node_links_of_empty_structs_amplify);
// real records with many links and long texts stay well inside that.
BOOST_AUTO_TEST_CASE(large_records_still_decode) {
  Node n = sample_node();
  n.links.assign(20000, LinkRef{Uuid{1, 2}, true});
  n.client_data = std::string(1 << 20, 'x');
  n.metadata = std::string(3, '\0');
  check_round_trip(n);
}

BOOST_AUTO_TEST_CASE(garbage_is_an_error) {
  check_rejected<User>("");
  check_rejected<User>("hello");                         // not whole words
  check_rejected<Node>(std::string(16, '\xFF'));         // absurd segment table
  check_rejected<Workflow>(std::string(64, '\x7F'));
  check_rejected<OutboxEntry>(std::string(8, '\0'));     // one segment, zero words
}

BOOST_AUTO_TEST_CASE(every_truncation_is_an_error) {
  auto bytes = encode(sample_node());
  BOOST_TEST_REQUIRE(bytes.ok());
  for (size_t n = 0; n < bytes->size(); ++n) {
    BOOST_TEST_CONTEXT("prefix of " << n << " bytes") { check_rejected<Node>(bytes->substr(0, n)); }
  }
}

BOOST_AUTO_TEST_CASE(trailing_bytes_are_an_error) {
  auto bytes = encode(sample_change());
  BOOST_TEST_REQUIRE(bytes.ok());
  check_rejected<StatusChange>(*bytes + std::string(8, '\0'));
}

BOOST_AUTO_TEST_CASE(unknown_enum_values_are_an_error) {
  Node n = sample_node();
  n.mode = static_cast<Mode>(9);
  auto node_bytes = encode(n);
  BOOST_TEST_REQUIRE(node_bytes.ok());
  check_rejected<Node>(*node_bytes);

  StatusChange c = sample_change();
  c.type = static_cast<StatusType>(2);
  auto change_bytes = encode(c);
  BOOST_TEST_REQUIRE(change_bytes.ok());
  check_rejected<StatusChange>(*change_bytes);
}

BOOST_AUTO_TEST_CASE(decoding_does_not_depend_on_alignment) {
  auto bytes = encode(sample_user());
  BOOST_TEST_REQUIRE(bytes.ok());
  std::string shifted = "x" + *bytes;
  auto back = decode<User>(std::string_view(shifted).substr(1));
  BOOST_TEST_REQUIRE(back.ok());
  BOOST_TEST(same(*back, sample_user()));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::storage::test
