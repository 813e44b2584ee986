// The partition map: a value every member computes, merges and plans moves
// on with the same pure rules (docs/cluster.md, "Partitions").
#include <boost/test/unit_test.hpp>

#include <map>

#include "runtime/cluster/rules/partition_map.hpp"

namespace backbeat::cluster::test {
namespace {

using Members = std::vector<std::string>;

std::map<std::string, size_t> counts(const PartitionMap& map) {
  std::map<std::string, size_t> out;
  for (uint32_t p = 0; p < map.partitions(); ++p) ++out[map.owner(p)];
  return out;
}

struct Rebalance {
  std::vector<Move> moves;
  PartitionMap map;
};

// Plans and applies moves until next_move says the spread is even, as the
// coordinator does one partition at a time. Bounded: a planner that never
// settles fails the test instead of hanging it.
Rebalance rebalance(PartitionMap map, const Members& members) {
  Rebalance out;
  for (int guard = 0; guard < 10000; ++guard) {
    auto move = next_move(map, members);
    if (!move) break;
    BOOST_REQUIRE_EQUAL(map.owner(move->partition), move->from);
    BOOST_REQUIRE_NE(move->from, move->to);
    map.assign(move->partition, move->to);
    out.moves.push_back(*move);
  }
  BOOST_REQUIRE(!next_move(map, members).has_value());
  out.map = std::move(map);
  return out;
}

void check_even(const PartitionMap& map, const Members& members) {
  auto c = counts(map);
  const size_t floor = map.partitions() / members.size();
  for (const std::string& m : members) {
    BOOST_TEST(c[m] >= floor, m << " owns " << c[m]);
    BOOST_TEST(c[m] <= floor + 1, m << " owns " << c[m]);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(partition_map)

BOOST_AUTO_TEST_CASE(initial_is_deterministic_and_order_independent) {
  const PartitionMap a = PartitionMap::initial(64, {"n1", "n2", "n3"});
  BOOST_TEST((a == PartitionMap::initial(64, {"n3", "n1", "n2"})));
  BOOST_TEST((a == PartitionMap::initial(64, {"n2", "n3", "n1", "n2", "n3"})));  // duplicates
  BOOST_TEST(a.partitions() == 64u);
  BOOST_TEST(a.epoch() == 1u);
  for (uint32_t p = 0; p < 64; ++p) {
    BOOST_TEST(a.at(p).epoch == 1u);
    BOOST_TEST(a.owner(p) == (Members{"n1", "n2", "n3"}[p % 3]));
  }
  BOOST_TEST(a.owned_by("n1").size() == 22u);
  BOOST_TEST(a.owned_by("n2").size() == 21u);
  BOOST_TEST(a.owned_by("n3").size() == 21u);
  BOOST_TEST(a.owned_by("n4").empty());
  BOOST_TEST((a.owners() == Members{"n1", "n2", "n3"}));
}

BOOST_AUTO_TEST_CASE(initial_spreads_evenly_for_any_member_count) {
  for (size_t n = 1; n <= 9; ++n) {
    Members members;
    for (size_t i = 0; i < n; ++i) members.push_back("m" + std::to_string(i));
    check_even(PartitionMap::initial(64, members), members);
  }
}

BOOST_AUTO_TEST_CASE(initial_without_members_is_empty) {
  const PartitionMap empty = PartitionMap::initial(64, {});
  BOOST_TEST(empty.partitions() == 0u);
  BOOST_TEST(empty.epoch() == 0u);
  BOOST_TEST((empty == PartitionMap{}));
}

BOOST_AUTO_TEST_CASE(assign_bumps_the_epoch) {
  PartitionMap map = PartitionMap::initial(8, {"a", "b"});
  map.assign(3, "c");
  BOOST_TEST(map.owner(3) == "c");
  BOOST_TEST(map.at(3).epoch == 2u);
  BOOST_TEST(map.epoch() == 2u);
  map.assign(5, "a");
  BOOST_TEST(map.at(5).epoch == 3u);
  BOOST_TEST(map.at(3).epoch == 2u);  // others keep theirs
  BOOST_TEST(map.at(0).epoch == 1u);
  BOOST_TEST(map.epoch() == 3u);
  BOOST_CHECK_THROW(map.assign(8, "a"), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(merge_takes_higher_epochs_only) {
  const PartitionMap base = PartitionMap::initial(8, {"a", "b"});
  PartitionMap newer = base;
  newer.assign(2, "c");  // epoch 2
  // Another member's history: partition 4 moved (epoch 2), then 2 (epoch 3).
  PartitionMap other = base;
  other.assign(4, "c");
  other.assign(2, "b");

  PartitionMap mine = base;
  bool changed = false;
  BOOST_TEST(mine.merge(newer, &changed));
  BOOST_TEST(changed);
  BOOST_TEST((mine == newer));

  // The same map again, or an older one: nothing to take.
  BOOST_TEST(mine.merge(newer, &changed));
  BOOST_TEST(!changed);
  BOOST_TEST(mine.merge(base, &changed));
  BOOST_TEST(!changed);
  BOOST_TEST((mine == newer));

  // Partition by partition: 4 (epoch 2) and 2 (epoch 3) both win over ours.
  BOOST_TEST(mine.merge(other, &changed));
  BOOST_TEST(changed);
  BOOST_TEST(mine.owner(4) == "c");
  BOOST_TEST(mine.owner(2) == "b");
  BOOST_TEST(mine.at(2).epoch == 3u);
  BOOST_TEST(mine.merge(newer));  // no out-parameter needed
  BOOST_TEST(mine.owner(2) == "b");
}

BOOST_AUTO_TEST_CASE(merge_keeps_ours_on_an_equal_epoch) {
  PartitionMap a = PartitionMap::initial(4, {"a", "b"});
  PartitionMap b = PartitionMap::initial(4, {"a", "b"});
  a.assign(1, "x");
  b.assign(1, "y");  // same epoch, another owner: a conflict the higher epoch never resolves
  bool changed = true;
  BOOST_TEST(a.merge(b, &changed));
  BOOST_TEST(!changed);
  BOOST_TEST(a.owner(1) == "x");
  // Reported, so the member can say so.
  std::vector<uint32_t> conflicts;
  BOOST_TEST(a.merge(b, &changed, &conflicts));
  BOOST_TEST((conflicts == std::vector<uint32_t>{1}));
  // Two first maps built from different seed lists disagree at epoch 1.
  conflicts.clear();
  PartitionMap three = PartitionMap::initial(4, {"a", "b", "c"});
  BOOST_TEST(PartitionMap::initial(4, {"a", "b"}).merge(three, &changed, &conflicts));
  BOOST_TEST(!conflicts.empty());
}

BOOST_AUTO_TEST_CASE(merge_refuses_another_partition_count) {
  PartitionMap mine = PartitionMap::initial(64, {"a", "b"});
  const PartitionMap before = mine;
  PartitionMap other = PartitionMap::initial(32, {"a", "b"});
  other.assign(0, "z");
  bool changed = true;
  BOOST_TEST(!mine.merge(other, &changed));
  BOOST_TEST(!changed);
  BOOST_TEST((mine == before));
}

BOOST_AUTO_TEST_CASE(merge_into_empty_takes_all_and_empty_changes_nothing) {
  PartitionMap other = PartitionMap::initial(16, {"a", "b", "c"});
  other.assign(7, "a");
  PartitionMap empty;
  bool changed = false;
  BOOST_TEST(empty.merge(other, &changed));
  BOOST_TEST(changed);
  BOOST_TEST((empty == other));

  PartitionMap mine = other;
  BOOST_TEST(mine.merge(PartitionMap{}, &changed));
  BOOST_TEST(!changed);
  BOOST_TEST((mine == other));
}

BOOST_AUTO_TEST_CASE(serialize_and_parse_round_trip) {
  PartitionMap map = PartitionMap::initial(64, {"n1", "n2", "n3"});
  map.assign(10, "n4");
  map.assign(63, "n1");
  auto back = PartitionMap::parse(map.serialize());
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST((*back == map));
  BOOST_TEST(back->epoch() == 3u);

  auto empty = PartitionMap::parse(PartitionMap{}.serialize());
  BOOST_REQUIRE(empty.has_value());
  BOOST_TEST(empty->partitions() == 0u);
  BOOST_TEST(PartitionMap::initial(2, {"a"}).serialize() == "2\na 1\na 1\n");
}

BOOST_AUTO_TEST_CASE(parse_refuses_anything_else) {
  const std::string good = PartitionMap::initial(3, {"a", "b"}).serialize();
  for (const std::string& bad : {
           std::string(""), std::string("garbage"), std::string("x\na 1\n"),
           std::string("3\na 1\nb 1\n"),           // one partition short
           good + "extra",                         // trailing token
           good + "a 1\n",                         // one partition too many
           std::string("2\na 1\nb x\n"),           // epoch not a number
           std::string("2\na 1\nb\n"),             // epoch missing
           std::string("2\na -1\nb 1\n"),          // negative epoch
           std::string("99999999999999\n"),        // huge count: no allocation
           std::string("65537\n"),
           std::string("18446744073709551616\n"),  // overflows size_t
           std::string("-1\n"),
       }) {
    BOOST_TEST(!PartitionMap::parse(bad).has_value(), "accepted: " << bad);
  }
  BOOST_TEST(PartitionMap::parse(good).has_value());
}

BOOST_AUTO_TEST_CASE(balanced_map_needs_no_move) {
  for (const Members& members : {Members{"n1"}, Members{"n1", "n2", "n3"}, Members{"a", "b", "c", "d"}}) {
    const PartitionMap map = PartitionMap::initial(64, members);
    BOOST_TEST(!next_move(map, members).has_value());
  }
  // Off by one is even enough: 22/21/21 stays.
  PartitionMap map = PartitionMap::initial(64, {"n1", "n2", "n3"});
  BOOST_TEST(!next_move(map, {"n3", "n2", "n1"}).has_value());
  BOOST_TEST(!next_move(map, {}).has_value());
  BOOST_TEST(!next_move(PartitionMap{}, {"n1"}).has_value());
}

BOOST_AUTO_TEST_CASE(a_new_member_gets_exactly_what_it_needs) {
  struct Case {
    Members before;
    Members after;
    size_t moves;  // the fewest that even the spread out
  };
  for (const Case& c : {
           Case{{"n1"}, {"n1", "n2"}, 32},                                // 64 -> 32/32
           Case{{"n1", "n2", "n3"}, {"n1", "n2", "n3", "n4"}, 16},        // 22/21/21 -> 16 each
           Case{{"n1", "n2", "n3", "n4"}, {"n1", "n2", "n3", "n4", "n5"}, 12},  // 16 each -> 13,13,13,13,12
       }) {
    const PartitionMap start = PartitionMap::initial(64, c.before);
    const Rebalance r = rebalance(start, c.after);
    BOOST_TEST(r.moves.size() == c.moves);
    for (const Move& m : r.moves) BOOST_TEST(m.to == c.after.back());  // never between old members
    check_even(r.map, c.after);
    BOOST_TEST(r.map.epoch() == 1 + c.moves);  // one epoch per move
  }
}

BOOST_AUTO_TEST_CASE(a_draining_member_gives_everything_away) {
  const PartitionMap start = PartitionMap::initial(64, {"n1", "n2", "n3"});
  const Rebalance r = rebalance(start, {"n1", "n2"});
  BOOST_TEST(r.map.owned_by("n3").empty());
  BOOST_TEST(r.moves.size() == 21u);  // n3's partitions, and nothing else moves
  for (const Move& m : r.moves) BOOST_TEST(m.from == "n3");
  check_even(r.map, {"n1", "n2"});
}

BOOST_AUTO_TEST_CASE(an_unknown_owner_counts_as_leaving) {
  PartitionMap map = PartitionMap::initial(8, {"a", "b"});
  map.assign(3, "ghost");
  auto move = next_move(map, {"a", "b"});
  BOOST_REQUIRE(move.has_value());
  BOOST_TEST(move->partition == 3u);
  BOOST_TEST(move->from == "ghost");
}

BOOST_AUTO_TEST_CASE(planning_is_deterministic) {
  const PartitionMap start = PartitionMap::initial(64, {"n1", "n2", "n3"});
  auto first = next_move(start, {"n1", "n2", "n3", "n4"});
  BOOST_REQUIRE(first.has_value());
  BOOST_TEST((next_move(start, {"n4", "n3", "n2", "n1"}) == first));
  BOOST_TEST((next_move(start, {"n1", "n2", "n3", "n4", "n4"}) == first));
  const Rebalance a = rebalance(start, {"n1", "n2", "n3", "n4"});
  const Rebalance b = rebalance(start, {"n4", "n2", "n1", "n3"});
  BOOST_TEST((a.moves == b.moves));
  BOOST_TEST((a.map == b.map));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::cluster::test
