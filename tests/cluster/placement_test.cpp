// Where workflows and their nodes live: the hash behind every placement
// decision, and the partition stamped into node ids (docs/cluster.md).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include "engine/placement.hpp"

namespace backbeat::test {
namespace {

constexpr uint32_t kPartitions = 64;

class SeededIds final : public UuidGenerator {
 public:
  explicit SeededIds(uint64_t seed) : rng_(seed) {}
  Uuid next() override {
    Uuid id{rng_(), rng_()};
    id.hi = (id.hi & ~0xF000ull) | 0x4000ull;  // version 4, as RandomUuids makes them
    id.lo = (id.lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
    return id;
  }

 private:
  std::mt19937_64 rng_;
};

unsigned version_of(const Uuid& id) { return unsigned((id.hi >> 12) & 0xF); }
unsigned variant_of(const Uuid& id) { return unsigned(id.lo >> 62); }

// 10k ids over 64 partitions: 156 expected per partition, sigma about 12.4;
// the band is wide enough never to flake on a fixed seed, narrow enough to
// catch a hash that clusters.
void check_spread(const std::vector<Uuid>& ids) {
  std::vector<int> counts(kPartitions, 0);
  for (const Uuid& id : ids) ++counts.at(partition_of_workflow(id, kPartitions));
  const auto [lo, hi] = std::minmax_element(counts.begin(), counts.end());
  BOOST_TEST_MESSAGE("spread over 64 partitions: min " << *lo << ", max " << *hi);
  BOOST_TEST(*lo >= 100);
  BOOST_TEST(*hi <= 215);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(placement)

BOOST_AUTO_TEST_CASE(random_ids_spread_evenly) {
  SeededIds random(7);
  std::vector<Uuid> ids;
  for (int i = 0; i < 10000; ++i) ids.push_back(random.next());
  check_spread(ids);
}

BOOST_AUTO_TEST_CASE(name_derived_workflow_ids_spread_evenly) {
  // Workflow ids are derived from user, name and subject; subjects that
  // differ only in a counter must not land together.
  const Uuid ns = *Uuid::parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  std::vector<Uuid> ids;
  for (int i = 0; i < 10000; ++i) ids.push_back(Uuid::from_name(ns, "order-" + std::to_string(i)));
  check_spread(ids);
}

BOOST_AUTO_TEST_CASE(partition_is_a_pure_function_of_the_id) {
  SeededIds random(11);
  for (int i = 0; i < 100; ++i) {
    const Uuid id = random.next();
    BOOST_TEST(partition_of_workflow(id, kPartitions) == partition_of_workflow(id, kPartitions));
    BOOST_TEST(partition_of_workflow(id, kPartitions) == placement_hash(id) % kPartitions);
  }
  BOOST_TEST(partition_of_workflow(random.next(), 0) == 0u);  // no division by zero
}

BOOST_AUTO_TEST_CASE(stamping_makes_version_8_and_keeps_the_rest) {
  SeededIds random(13);
  for (int i = 0; i < 1000; ++i) {
    const Uuid raw = random.next();
    const uint16_t hash = uint16_t(i * 977);
    const Uuid stamped = stamp_id(raw, hash);
    BOOST_TEST(version_of(stamped) == 8u);
    BOOST_TEST(variant_of(stamped) == 2u);  // RFC 9562 variant bits 10
    BOOST_TEST((stamped.lo & 0xFFFF) == hash);
    // Everything else stays random: only the version nibble and the low
    // 16 bits change.
    BOOST_TEST((stamped.hi & ~0xF000ull) == (raw.hi & ~0xF000ull));
    BOOST_TEST((stamped.lo & ~0xFFFFull) == (raw.lo & ~0xFFFFull));
    // The text form round-trips, so a stamped id survives a URL.
    BOOST_TEST((Uuid::parse(stamped.str()) == stamped));
  }
}

BOOST_AUTO_TEST_CASE(stamped_ids_round_trip_their_workflows_partition) {
  SeededIds random(17);
  for (uint32_t partitions : {1u, 7u, 64u, 4096u}) {
    for (int i = 0; i < 500; ++i) {
      const Uuid workflow = random.next();
      StampedIds ids(random, workflow);
      const Uuid node = ids.next();
      auto p = partition_of_stamped(node, partitions);
      BOOST_REQUIRE(p.has_value());
      BOOST_TEST(*p == partition_of_workflow(workflow, partitions));
    }
  }
}

BOOST_AUTO_TEST_CASE(unstamped_ids_are_not_placed) {
  SeededIds random(19);
  for (int i = 0; i < 100; ++i) {
    const Uuid v4 = random.next();
    BOOST_TEST(!partition_of_stamped(v4, kPartitions).has_value());
    // A name-derived (version 5) workflow id is no node id either.
    const Uuid v5 = Uuid::from_name(v4, "x");
    BOOST_TEST(!partition_of_stamped(v5, kPartitions).has_value());
  }
  BOOST_TEST(!partition_of_stamped(stamp_id(random.next(), 5), 0).has_value());
  BOOST_TEST(!partition_of_stamped(Uuid{}, kPartitions).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
