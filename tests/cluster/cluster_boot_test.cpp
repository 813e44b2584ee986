// A member's identity in its store's meta (docs/cluster.md, "Identity and
// membership"): what a first start writes, what a restart reads back, and
// the data dirs a node must refuse.
#include <boost/test/unit_test.hpp>

#include "runtime/cluster/cluster_boot.hpp"
#include "storage/write_set.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::cluster::test {
namespace {

const std::string kAbsent = "(absent)";
const std::string kSeeds = "n1@127.0.0.1:4301,n2@127.0.0.1:4302,n3@127.0.0.1:4303";

runtime::Config config(const std::string& member, const std::string& seeds = kSeeds) {
  runtime::Config c;
  c.cluster_member_id = member;
  c.cluster_seeds = seeds;
  return c;
}

// A data dir reopened for every start, as a restarted process would.
struct DataDir {
  backbeat::test::TempDir dir{"backbeat-cluster"};

  std::unique_ptr<storage::Store> open() const {
    auto store = storage::Store::open(dir.str());
    BOOST_REQUIRE_MESSAGE(store.ok(), "open: " + (store.ok() ? "" : store.error().message));
    return std::move(store).value();
  }
  Result<Boot> boot(const runtime::Config& c) const {
    auto store = open();
    return boot_cluster(*store, c, "127.0.0.1:4301", "127.0.0.1:9292");
  }
  // The meta value, or kAbsent.
  std::string meta(const std::string& key) const {
    auto store = open();
    auto value = store->get_meta(key);
    BOOST_REQUIRE(value.ok());
    return value->value_or(kAbsent);
  }
  void put_meta(const std::string& key, const std::string& value) const {
    auto store = open();
    storage::WriteSet w;
    w.put_meta(key, value);
    BOOST_REQUIRE(store->write(std::move(w), true).ok());
  }
  void add_user() const {
    auto store = open();
    storage::WriteSet w;
    w.put_user(User{Uuid{1, 1}, "acme", "", "http://a.example/act", "", "", "", "", 1});
    BOOST_REQUIRE(store->write(std::move(w), true).ok());
  }
};

std::string error_of(const Result<Boot>& r) { return r.ok() ? "(started)" : r.error().message; }

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parse_seeds_tests)

BOOST_AUTO_TEST_CASE(valid_forms) {
  auto seeds = parse_seeds(kSeeds);
  BOOST_REQUIRE(seeds.ok());
  BOOST_REQUIRE_EQUAL(seeds->size(), 3u);
  BOOST_TEST(seeds->at(0).id == "n1");
  BOOST_TEST(seeds->at(0).address == "127.0.0.1:4301");
  BOOST_TEST(seeds->at(2).id == "n3");

  auto join = parse_seeds("10.0.0.7:4301");  // --join: an address only
  BOOST_REQUIRE(join.ok());
  BOOST_REQUIRE_EQUAL(join->size(), 1u);
  BOOST_TEST(join->at(0).id.empty());
  BOOST_TEST(join->at(0).address == "10.0.0.7:4301");

  auto names = parse_seeds("a@db-1.internal:1, db-2.internal:2");
  BOOST_REQUIRE(names.ok());
  BOOST_TEST(names->at(1).address == "db-2.internal:2");

  BOOST_TEST(parse_seeds("")->empty());
  BOOST_TEST(parse_seeds(" , ,")->empty());
}

BOOST_AUTO_TEST_CASE(spaces_around_items_are_ignored) {
  auto seeds = parse_seeds("  n1@127.0.0.1:1 ,\tn2@127.0.0.1:2,  ");
  BOOST_REQUIRE(seeds.ok());
  BOOST_REQUIRE_EQUAL(seeds->size(), 2u);
  BOOST_TEST(seeds->at(0).id == "n1");
  BOOST_TEST(seeds->at(0).address == "127.0.0.1:1");
  BOOST_TEST(seeds->at(1).address == "127.0.0.1:2");
}

BOOST_AUTO_TEST_CASE(bad_items_are_named) {
  for (const std::string bad : {"host", "n1@host", "@127.0.0.1:1", "127.0.0.1:", ":4301",
                                "n1@127.0.0.1:43x1", "n1@127.0.0.1:-1"}) {
    auto r = parse_seeds("n0@127.0.0.1:4300, " + bad + ", n9@127.0.0.1:4309");
    BOOST_REQUIRE_MESSAGE(!r.ok(), "accepted: " + bad);
    BOOST_TEST(mentions(r.error().message, "'" + bad + "'"), r.error().message);
    BOOST_TEST(mentions(r.error().message, "cluster.seeds"), r.error().message);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(boot_cluster_tests)

BOOST_AUTO_TEST_CASE(first_start_writes_identity_and_the_initial_map) {
  DataDir data;
  auto boot = data.boot(config("n1"));
  BOOST_REQUIRE_MESSAGE(boot.ok(), error_of(boot));
  BOOST_TEST(boot->self.id == "n1");
  BOOST_TEST(boot->self.incarnation == 1u);
  BOOST_TEST(boot->self.cluster_address == "127.0.0.1:4301");
  BOOST_TEST(boot->self.http_address == "127.0.0.1:9292");
  const PartitionMap expected = PartitionMap::initial(64, {"n1", "n2", "n3"});
  BOOST_TEST((boot->map == expected));
  BOOST_TEST((boot->seed_addresses ==
              std::vector<std::string>{"127.0.0.1:4301", "127.0.0.1:4302", "127.0.0.1:4303"}));

  BOOST_TEST(data.meta("cluster.member_id") == "n1");
  BOOST_TEST(data.meta("cluster.partitions") == "64");
  BOOST_TEST(data.meta("cluster.incarnation") == "1");
  BOOST_TEST(data.meta("cluster.map") == expected.serialize());
}

BOOST_AUTO_TEST_CASE(every_member_computes_the_same_first_map) {
  DataDir a, b;
  auto n1 = a.boot(config("n1"));
  auto n3 = b.boot(config("n3", "n2@127.0.0.1:4302, n1@127.0.0.1:4301"));  // itself not listed
  BOOST_REQUIRE(n1.ok());
  BOOST_REQUIRE(n3.ok());
  BOOST_TEST((n1->map == n3->map));
}

BOOST_AUTO_TEST_CASE(restart_bumps_the_incarnation_and_keeps_the_stored_map) {
  DataDir data;
  BOOST_REQUIRE(data.boot(config("n1")).ok());
  // The map moved on while the node ran (a partition went to n4)...
  PartitionMap moved = PartitionMap::initial(64, {"n1", "n2", "n3"});
  moved.assign(5, "n4");
  data.put_meta("cluster.map", moved.serialize());
  // ...and the seed list changed since: the stored map wins.
  auto second = data.boot(config("n1", kSeeds + ",n4@127.0.0.1:4304"));
  BOOST_REQUIRE_MESSAGE(second.ok(), error_of(second));
  BOOST_TEST(second->self.incarnation == 2u);
  BOOST_TEST((second->map == moved));
  BOOST_TEST(data.meta("cluster.incarnation") == "2");

  auto third = data.boot(config("n1"));
  BOOST_REQUIRE(third.ok());
  BOOST_TEST(third->self.incarnation == 3u);
}

BOOST_AUTO_TEST_CASE(another_members_data_dir_is_refused) {
  DataDir data;
  BOOST_REQUIRE(data.boot(config("n1")).ok());
  auto r = data.boot(config("n2"));
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(mentions(r.error().message, "'n1'"), r.error().message);
  BOOST_TEST(mentions(r.error().message, "'n2'"), r.error().message);
  BOOST_TEST(data.meta("cluster.incarnation") == "1");  // untouched
}

BOOST_AUTO_TEST_CASE(another_partition_count_is_refused) {
  DataDir data;
  BOOST_REQUIRE(data.boot(config("n1")).ok());
  runtime::Config c = config("n1");
  c.cluster_partitions = 32;
  auto r = data.boot(c);
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(mentions(r.error().message, "cluster.partitions = 64"), r.error().message);
  BOOST_TEST(data.meta("cluster.partitions") == "64");
}

BOOST_AUTO_TEST_CASE(bad_member_ids_and_seeds_are_refused) {
  DataDir data;
  for (const char* id : {"n 1", "n@1", "n1,n2"}) BOOST_TEST(!data.boot(config(id)).ok(), id);
  auto r = data.boot(config("n1", "n2@nowhere"));
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(mentions(r.error().message, "'n2@nowhere'"), r.error().message);
  BOOST_TEST(data.meta("cluster.member_id") == kAbsent);  // nothing written
}

BOOST_AUTO_TEST_CASE(joining_by_address_starts_with_an_empty_map) {
  DataDir data;
  auto boot = data.boot(config("n4", "127.0.0.1:4301"));
  BOOST_REQUIRE_MESSAGE(boot.ok(), error_of(boot));
  BOOST_TEST(boot->map.partitions() == 0u);  // it learns the map from the member it joins
  BOOST_TEST(boot->self.incarnation == 1u);
  BOOST_TEST((boot->seed_addresses == std::vector<std::string>{"127.0.0.1:4301"}));
  BOOST_TEST(data.meta("cluster.map") == kAbsent);
  BOOST_TEST(data.meta("cluster.member_id") == "n4");
}

BOOST_AUTO_TEST_CASE(single_node_data_is_not_handed_to_other_members) {
  DataDir data;
  data.add_user();
  auto r = data.boot(config("n1"));
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(mentions(r.error().message, "already holds a single node's data"), r.error().message);
  BOOST_TEST(data.meta("cluster.member_id") == kAbsent);
}

BOOST_AUTO_TEST_CASE(single_node_data_may_become_a_one_member_cluster) {
  DataDir data;
  data.add_user();
  auto boot = data.boot(config("n1", ""));
  BOOST_REQUIRE_MESSAGE(boot.ok(), error_of(boot));
  BOOST_TEST(boot->map.owned_by("n1").size() == 64u);
  BOOST_TEST((boot->map == PartitionMap::initial(64, {"n1"})));
}

BOOST_AUTO_TEST_CASE(single_node_data_listing_only_itself_as_seed_is_allowed) {
  // An operator writing the full form for a one-member cluster: no other
  // member is named, so no partition goes anywhere the data is not.
  DataDir data;
  data.add_user();
  auto boot = data.boot(config("n1", "n1@127.0.0.1:4301"));
  BOOST_REQUIRE_MESSAGE(boot.ok(), error_of(boot));
  BOOST_TEST(boot->map.owned_by("n1").size() == 64u);
}

BOOST_AUTO_TEST_CASE(a_damaged_meta_is_an_error_not_a_crash) {
  DataDir data;
  BOOST_REQUIRE(data.boot(config("n1")).ok());
  data.put_meta("cluster.map", "64\nn1 1\n");
  auto r = data.boot(config("n1"));
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(mentions(r.error().message, "partition map"), r.error().message);

  DataDir other;
  BOOST_REQUIRE(other.boot(config("n1")).ok());
  other.put_meta("cluster.incarnation", "garbage");
  Result<Boot> bad = make_error(Error::Kind::internal, "not run");
  BOOST_CHECK_NO_THROW(bad = other.boot(config("n1")));
  BOOST_TEST(!bad.ok());
}

// Member ids appear in seeds, the map's text and admin URLs.
BOOST_AUTO_TEST_CASE(member_ids_are_plain_names) {
  for (const std::string& bad :
       std::vector<std::string>{"n 1", "n1@x", "a,b", "n/1", "n%31", "n?1", std::string(65, 'n')}) {
    DataDir data;
    auto r = data.boot(config(bad, ""));
    BOOST_TEST(!r.ok(), bad);
    BOOST_TEST(mentions(error_of(r), "cluster.member_id"), bad << ": " << error_of(r));
  }
  DataDir data;
  BOOST_TEST(data.boot(config("eu-west_1.n1", "")).ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::cluster::test
