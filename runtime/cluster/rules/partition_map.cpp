#include "runtime/cluster/rules/partition_map.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <sstream>

namespace backbeat::cluster {
namespace {

std::vector<std::string> sorted_unique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

bool valid_member_id(const std::string& id) {
  return !id.empty() && id.find_first_of(" \t\r\n") == std::string::npos;
}

// Digits only: istream's >> into an unsigned takes "-1" as its maximum.
bool parse_number(const std::string& token, uint64_t& out) {
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), out);
  return ec == std::errc() && end == token.data() + token.size();
}

}  // namespace

PartitionMap PartitionMap::initial(uint32_t partitions, std::vector<std::string> members) {
  PartitionMap map;
  members = sorted_unique(std::move(members));
  if (members.empty()) return map;
  map.owners_.resize(partitions);
  for (uint32_t p = 0; p < partitions; ++p) map.owners_[p] = {members[p % members.size()], 1};
  return map;
}

uint64_t PartitionMap::epoch() const {
  uint64_t e = 0;
  for (const Assignment& a : owners_) e = std::max(e, a.epoch);
  return e;
}

std::vector<uint32_t> PartitionMap::owned_by(const std::string& member) const {
  std::vector<uint32_t> out;
  for (uint32_t p = 0; p < owners_.size(); ++p)
    if (owners_[p].owner == member) out.push_back(p);
  return out;
}

std::vector<std::string> PartitionMap::owners() const {
  std::vector<std::string> out;
  for (const Assignment& a : owners_) out.push_back(a.owner);
  return sorted_unique(std::move(out));
}

bool PartitionMap::merge(const PartitionMap& other, bool* changed, std::vector<uint32_t>* conflicts) {
  if (changed) *changed = false;
  if (other.owners_.empty()) return true;
  if (owners_.empty()) {
    owners_ = other.owners_;
    if (changed) *changed = true;
    return true;
  }
  if (other.owners_.size() != owners_.size()) return false;
  for (size_t p = 0; p < owners_.size(); ++p) {
    if (other.owners_[p].epoch > owners_[p].epoch) {
      owners_[p] = other.owners_[p];
      if (changed) *changed = true;
    } else if (conflicts && other.owners_[p].epoch == owners_[p].epoch &&
               other.owners_[p].owner != owners_[p].owner) {
      conflicts->push_back(uint32_t(p));
    }
  }
  return true;
}

void PartitionMap::assign(uint32_t partition, const std::string& to) {
  owners_.at(partition) = {to, epoch() + 1};
}

std::string PartitionMap::serialize() const {
  std::ostringstream out;
  out << owners_.size() << "\n";
  for (const Assignment& a : owners_) out << a.owner << " " << a.epoch << "\n";
  return out.str();
}

std::optional<PartitionMap> PartitionMap::parse(const std::string& text) {
  std::istringstream in(text);
  std::string token;
  uint64_t count = 0;
  if (!(in >> token) || !parse_number(token, count) || count > 65536) return std::nullopt;
  PartitionMap map;
  map.owners_.resize(count);
  for (Assignment& a : map.owners_) {
    if (!(in >> a.owner >> token) || !valid_member_id(a.owner) || !parse_number(token, a.epoch))
      return std::nullopt;
  }
  std::string rest;
  if (in >> rest) return std::nullopt;
  return map;
}

std::optional<Move> next_move(const PartitionMap& map, std::vector<std::string> members) {
  members = sorted_unique(std::move(members));
  if (members.empty() || map.partitions() == 0) return std::nullopt;
  std::map<std::string, std::vector<uint32_t>> owned;
  for (const std::string& m : members) owned[m];
  std::vector<uint32_t> orphans;  // owned by a member leaving (or unknown)
  for (uint32_t p = 0; p < map.partitions(); ++p) {
    auto it = owned.find(map.owner(p));
    if (it == owned.end()) orphans.push_back(p);
    else it->second.push_back(p);
  }
  auto least = std::min_element(owned.begin(), owned.end(), [](const auto& a, const auto& b) {
    return a.second.size() < b.second.size();
  });
  if (!orphans.empty()) return Move{orphans.front(), map.owner(orphans.front()), least->first};
  auto most = std::max_element(owned.begin(), owned.end(), [](const auto& a, const auto& b) {
    return a.second.size() < b.second.size();
  });
  if (most->second.size() <= least->second.size() + 1) return std::nullopt;
  // The highest-numbered partition of the fullest member: deterministic, so
  // a coordinator that restarts plans the same step.
  return Move{most->second.back(), most->first, least->first};
}

}  // namespace backbeat::cluster
