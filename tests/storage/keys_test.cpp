#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <vector>

#include "storage/keys.hpp"
#include "tests/storage/samples.hpp"

namespace backbeat::storage::test {

// Comparisons sit in double parentheses: BOOST_TEST would otherwise compare
// std::string operands with its own C-string rules, not bytewise order.
BOOST_AUTO_TEST_SUITE(keys_layout)

BOOST_AUTO_TEST_CASE(uuid_keys_sort_like_uuids) {
  std::vector<Uuid> ids = {id(2, 0), id(1, ~0ull), id(0, 5), id(~0ull, 0), id(1, 0x100)};
  std::vector<std::string> encoded;
  for (auto u : ids) encoded.push_back(keys::user(u));
  std::sort(ids.begin(), ids.end());
  std::sort(encoded.begin(), encoded.end());
  for (size_t i = 0; i < ids.size(); ++i) BOOST_TEST(encoded[i] == keys::user(ids[i]));
}

BOOST_AUTO_TEST_CASE(status_change_keys_sort_by_index_within_a_node) {
  BOOST_TEST((keys::status_change(id(1), id(2), 255) < keys::status_change(id(1), id(2), 256)));
  BOOST_TEST((keys::status_change(id(1), id(2), 0xFFFFFFFF) < keys::status_change(id(1), id(3), 0)));
  BOOST_TEST(keys::status_change(id(1), id(2), 7).starts_with(keys::status_change_prefix(id(1), id(2))));
}

BOOST_AUTO_TEST_CASE(node_keys_share_their_workflow_prefix) {
  BOOST_TEST(keys::node(id(9), id(1)).starts_with(keys::node_prefix(id(9))));
  BOOST_TEST((keys::node(id(9), id(~0ull, ~0ull)) < keys::prefix_end(keys::node_prefix(id(9)))));
  BOOST_TEST((keys::node(id(9, 2), id(0, 0)) >= keys::prefix_end(keys::node_prefix(id(9)))));
}

BOOST_AUTO_TEST_CASE(timer_keys_sort_like_timers_including_negative_due) {
  std::vector<Timer> timers = {
      {5, id(1), id(2), TimerKind::retry},  {-3, id(1), id(2), TimerKind::deadline},
      {5, id(1), id(2), TimerKind::start_node}, {0, id(9), id(9), TimerKind::retry},
      {-1'000'000, id(3), id(1), TimerKind::start_node}, {5, id(0, 7), id(2), TimerKind::retry},
  };
  std::vector<std::string> encoded;
  for (const auto& t : timers) encoded.push_back(keys::timer(t));
  std::sort(timers.begin(), timers.end());
  std::sort(encoded.begin(), encoded.end());
  for (size_t i = 0; i < timers.size(); ++i) {
    auto parsed = keys::parse_timer(encoded[i]);
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST((*parsed == timers[i]));
  }
}

BOOST_AUTO_TEST_CASE(timers_after_bounds_inclusively) {
  Timer at{100, id(~0ull, ~0ull), id(~0ull, ~0ull), TimerKind::deadline};
  Timer later{101, Uuid{}, Uuid{}, TimerKind::start_node};
  BOOST_TEST((keys::timer(at) < keys::timers_after(100)));
  BOOST_TEST((keys::timer(later) >= keys::timers_after(100)));
  BOOST_TEST(keys::timers_after(INT64_MAX).empty());
}

BOOST_AUTO_TEST_CASE(malformed_keys_do_not_parse) {
  BOOST_TEST(!keys::parse_timer("short").has_value());
  std::string bad_kind = keys::timer(Timer{1, id(1), id(2), TimerKind::retry});
  bad_kind.back() = 3;
  BOOST_TEST(!keys::parse_timer(bad_kind).has_value());
  BOOST_TEST(!keys::parse_inflight(std::string(31, 'x')).has_value());
  BOOST_TEST(!keys::parse_node_location(std::string(33, 'x')).has_value());
}

BOOST_AUTO_TEST_CASE(prefix_end_carries_and_saturates) {
  BOOST_TEST(keys::prefix_end("ab") == "ac");
  BOOST_TEST(keys::prefix_end(std::string("a\xFF", 2)) == "b");
  BOOST_TEST(keys::prefix_end(std::string(3, '\xFF')).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::storage::test
