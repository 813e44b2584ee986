#pragma once
// Which member owns which partition, and since which epoch (docs/cluster.md).
// A value: members exchange and merge copies; the rules here are pure.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace backbeat::cluster {

struct Assignment {
  std::string owner;   // member id
  uint64_t epoch = 0;  // when the owner got it; higher wins in a merge
  friend bool operator==(const Assignment&, const Assignment&) = default;
};

class PartitionMap {
 public:
  PartitionMap() = default;
  // Partition p to members[p % n] of the sorted, de-duplicated ids, epoch 1:
  // every node computes the same first map from the same seed list.
  static PartitionMap initial(uint32_t partitions, std::vector<std::string> members);

  uint32_t partitions() const { return uint32_t(owners_.size()); }
  uint64_t epoch() const;  // the highest assignment epoch; 0 for an empty map
  const Assignment& at(uint32_t partition) const { return owners_.at(partition); }
  const std::string& owner(uint32_t partition) const { return owners_.at(partition).owner; }
  std::vector<uint32_t> owned_by(const std::string& member) const;
  std::vector<std::string> owners() const;  // distinct, sorted

  // Takes every assignment of `other` with a higher epoch. False when the
  // maps cannot be merged (different partition counts); *changed says
  // whether anything was taken; *conflicts gets the partitions `other`
  // gives another owner at the same epoch, which no merge can settle (two
  // members that each built a first map: one was given seed ids where it
  // should have joined).
  bool merge(const PartitionMap& other, bool* changed = nullptr,
             std::vector<uint32_t>* conflicts = nullptr);

  // The partition moves to `to` at epoch() + 1.
  void assign(uint32_t partition, const std::string& to);

  // Text form for the meta and for the wire: "<p>\n" then one
  // "<owner> <epoch>\n" per partition. parse() refuses anything else.
  std::string serialize() const;
  static std::optional<PartitionMap> parse(const std::string& text);

  friend bool operator==(const PartitionMap&, const PartitionMap&) = default;

 private:
  std::vector<Assignment> owners_;
};

// One step towards an even spread over `members` (live, sorted or not):
// the partition to move and where, or nullopt when every member owns
// floor(P/n) or ceil(P/n). Members not listed (draining) give all theirs up.
struct Move {
  uint32_t partition = 0;
  std::string from;
  std::string to;
  friend bool operator==(const Move&, const Move&) = default;
};
std::optional<Move> next_move(const PartitionMap& map, std::vector<std::string> members);

}  // namespace backbeat::cluster
