#pragma once
// A member's identity, kept in its store's meta (docs/cluster.md): which
// member the data dir belongs to, how many partitions the cluster has, the
// incarnation (one more at every start, durable before anyone hears of it)
// and the partition map it last knew.
#include <string>
#include <vector>

#include "runtime/cluster/rules/membership.hpp"
#include "runtime/cluster/rules/partition_map.hpp"
#include "runtime/config.hpp"
#include "storage/store.hpp"

namespace backbeat::cluster {

struct Seed {
  std::string id;       // empty when only the address is known (--join)
  std::string address;  // host:port
};

// A member id appears in seeds, the map's text form, admin URLs and file
// names (`backbeat cluster certs`): at most 64 letters, digits, '.', '_', '-'.
Status check_member_id(const std::string& id);

// "n1@127.0.0.1:4301, 127.0.0.1:4302" -> seeds; errors name the bad item.
Result<std::vector<Seed>> parse_seeds(const std::string& text);

struct Boot {
  MemberInfo self;
  PartitionMap map;
  std::vector<std::string> seed_addresses;  // every seed's, named or not
  // Those of seed_addresses given without an id (--join): unlike a founder
  // named by id, the member there may not know this one.
  std::vector<std::string> join_addresses;
};

// Refuses a data dir of another member or another partition count, and a
// single node's data dir whose first cluster start would hand its
// partitions to members that do not have its data.
Result<Boot> boot_cluster(storage::Store& store, const runtime::Config& config,
                          const std::string& cluster_address, const std::string& http_address);

}  // namespace backbeat::cluster
