#include "engine/placement.hpp"

namespace backbeat {
namespace {

constexpr uint64_t kVersionMask = 0xF000ull;  // in hi, as RFC 9562 lays it out
constexpr uint64_t kVersion8 = 0x8000ull;

}  // namespace

uint16_t placement_hash(const Uuid& workflow_id) {
  // splitmix64's finaliser: workflow ids are SHA-1 derived already, but
  // cheap mixing keeps partitions even for any id scheme.
  uint64_t x = workflow_id.hi ^ (workflow_id.lo * 0x9E3779B97F4A7C15ull);
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  x ^= x >> 31;
  return uint16_t(x & 0xFFFF);
}

uint32_t partition_of_workflow(const Uuid& workflow_id, uint32_t partitions) {
  return partitions == 0 ? 0 : placement_hash(workflow_id) % partitions;
}

Uuid stamp_id(Uuid random, uint16_t hash) {
  random.hi = (random.hi & ~kVersionMask) | kVersion8;
  random.lo = (random.lo & ~0xFFFFull) | hash;
  random.lo = (random.lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // RFC variant
  return random;
}

std::optional<uint32_t> partition_of_stamped(const Uuid& id, uint32_t partitions) {
  if ((id.hi & kVersionMask) != kVersion8 || partitions == 0) return std::nullopt;
  return uint32_t(id.lo & 0xFFFF) % partitions;
}

}  // namespace backbeat
