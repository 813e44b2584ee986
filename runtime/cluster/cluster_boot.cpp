#include "runtime/cluster/cluster_boot.hpp"

#include <charconv>

#include "runtime/cluster/rules/address.hpp"
#include "storage/write_set.hpp"

namespace backbeat::cluster {
namespace {

Error boot_error(std::string message) {
  return make_error(Error::Kind::startup, std::move(message));
}

}  // namespace

Status check_member_id(const std::string& id) {
  if (id.empty() || id.size() > 64 ||
      id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
          std::string::npos)
    return boot_error("'" + id + "' is no member id: at most 64 letters, digits, '.', '_' or '-'");
  // Not a path step: the id names files.
  if (id == "." || id == "..") return boot_error("'" + id + "' is no member id");
  return ok_status();
}

Result<std::vector<Seed>> parse_seeds(const std::string& text) {
  std::vector<Seed> out;
  for (const std::string& item : runtime::split_list(text)) {
    Seed seed;
    const size_t at = item.find('@');
    seed.address = at == std::string::npos ? item : item.substr(at + 1);
    if (at != std::string::npos) seed.id = item.substr(0, at);
    if (!parse_host_port(seed.address) || (at != std::string::npos && seed.id.empty()))
      return boot_error("cluster.seeds: '" + item + "' is not [id@]host:port");
    out.push_back(std::move(seed));
  }
  return out;
}

Result<Boot> boot_cluster(storage::Store& store, const runtime::Config& config,
                          const std::string& cluster_address, const std::string& http_address) {
  const std::string& id = config.cluster_member_id;
  if (auto s = check_member_id(id); !s)
    return boot_error("cluster.member_id: " + s.error().message);
  auto seeds = parse_seeds(config.cluster_seeds);
  if (!seeds) return seeds.error();

  auto known_id = store.get_meta("cluster.member_id");
  auto partitions = store.get_meta("cluster.partitions");
  auto incarnation = store.get_meta("cluster.incarnation");
  auto map_text = store.get_meta("cluster.map");
  for (auto* r : {&known_id, &partitions, &incarnation, &map_text})
    if (!*r) return boot_error("cannot read the cluster meta: " + r->error().message);
  if (*known_id && **known_id != id)
    return boot_error("this data dir belongs to cluster member '" + **known_id + "', not '" + id + "'");
  const std::string count = std::to_string(config.cluster_partitions);
  if (*partitions && **partitions != count)
    return boot_error("this data dir was written with cluster.partitions = " + **partitions +
                      "; it cannot change");

  Boot boot;
  boot.self = {id, 1, cluster_address, http_address};
  if (*incarnation) {
    const std::string& text = **incarnation;
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size())
      return boot_error("the stored incarnation is damaged: '" + text + "'");
    boot.self.incarnation = n + 1;
  }
  for (const Seed& s : *seeds) {
    boot.seed_addresses.push_back(s.address);
    if (s.id.empty()) boot.join_addresses.push_back(s.address);
  }

  if (*map_text) {
    auto parsed = PartitionMap::parse(**map_text);
    if (!parsed) return boot_error("the stored partition map is damaged");
    boot.map = std::move(*parsed);
  } else {
    std::vector<std::string> ids{id};
    bool named = false;  // any seed with an id: a static cluster, not --join
    for (const Seed& s : *seeds) {
      if (s.id.empty()) continue;
      named = true;
      if (s.id != id) ids.push_back(s.id);
    }
    auto users = store.list_users();
    if (!users) return boot_error("cannot read users: " + users.error().message);
    // Only --join (no ids) leaves a new member owning nothing until moves.
    const bool joining = !named && !seeds->empty();
    if (!*known_id && !users->empty() && joining)
      return boot_error("this data dir already holds a single node's data; --join needs an "
                        "empty data dir (start this node as the first member instead)");
    if (!*known_id && !users->empty() && ids.size() > 1)
      return boot_error("this data dir already holds a single node's data: start it as the "
                        "only member (no seed ids) and add the others with --join");
    if (!joining) boot.map = PartitionMap::initial(uint32_t(config.cluster_partitions), ids);
  }

  // The one synchronous write outside the group committer: at boot, on the
  // main thread, before any actor exists (docs/architecture.md, "One write
  // path").
  storage::WriteSet writes;
  writes.put_meta("cluster.member_id", id);
  writes.put_meta("cluster.partitions", count);
  writes.put_meta("cluster.incarnation", std::to_string(boot.self.incarnation));
  if (boot.map.partitions() > 0) writes.put_meta("cluster.map", boot.map.serialize());
  if (auto s = store.write(std::move(writes), true); !s)
    return boot_error("cannot write the cluster meta: " + s.error().message);
  return boot;
}

}  // namespace backbeat::cluster
