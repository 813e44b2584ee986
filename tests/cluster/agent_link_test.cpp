// The API's view of the cluster from the agent's snapshot
// (runtime/cluster/agent_link.hpp): the partitions a member's listings answer
// from are exactly those place() runs here.
#include <boost/test/unit_test.hpp>

#include "runtime/cluster/agent_link.hpp"

namespace backbeat::cluster {
namespace {

using Kind = actors::Placement::Kind;

constexpr uint32_t kPartitions = 6;

void check_agrees(const AgentLink& link) {
  const std::vector<bool> owned = link.owned_partitions();
  BOOST_TEST_REQUIRE(owned.size() == kPartitions);
  for (uint32_t p = 0; p < kPartitions; ++p)
    BOOST_TEST(owned[p] == (link.place(p).kind == Kind::local), "partition " << p);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(agent_link)

BOOST_AUTO_TEST_CASE(owned_partitions_are_those_placed_here) {
  AgentLink link(ClusterSettings{"n2", kPartitions});
  // No map yet: nothing is placed here, so nothing is listed here.
  BOOST_TEST((link.owned_partitions() == std::vector<bool>(kPartitions, false)));
  check_agrees(link);

  ClusterSnapshot snap;
  snap.map = PartitionMap::initial(kPartitions, {"n1", "n2", "n3"});
  for (const char* id : {"n1", "n2", "n3"}) {
    Member& m = snap.members[id];
    m.info.id = id;
    m.state = MemberState::up;
  }
  snap.members["n3"].state = MemberState::down;  // its partitions: unavailable, not ours
  snap.map.assign(3, "n2");                      // given to n2 by a committed move
  snap.moving = {1};                             // being handed over: still n2's
  link.publish(snap);
  BOOST_TEST((link.owned_partitions() == std::vector<bool>{false, true, false, true, true, false}));
  check_agrees(link);

  // The move of 1 commits: n1's from now on.
  snap.map.assign(1, "n1");
  snap.moving.clear();
  link.publish(snap);
  BOOST_TEST(
      (link.owned_partitions() == std::vector<bool>{false, false, false, true, true, false}));
  check_agrees(link);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::cluster
