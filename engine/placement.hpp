#pragma once
// Where a workflow lives in a cluster: its id picks one of a fixed number of
// partitions (docs/cluster.md). Node ids carry their workflow's placement
// hash, so any gateway places /activities/:id without a read.
#include <cstdint>
#include <optional>

#include "engine/uuid.hpp"

namespace backbeat {

// 16 well-mixed bits of a workflow id; partition = hash % partitions.
uint16_t placement_hash(const Uuid& workflow_id);

uint32_t partition_of_workflow(const Uuid& workflow_id, uint32_t partitions);

// A random id made into a version-8 id whose low 16 bits are `hash`.
Uuid stamp_id(Uuid random, uint16_t hash);

// The partition a stamped (version-8) id belongs to; nullopt for ids made
// before stamping (version 4), which must be looked up.
std::optional<uint32_t> partition_of_stamped(const Uuid& id, uint32_t partitions);

// Hands out ids stamped for one workflow: every node, outbox entry and other
// id a workflow's actor makes carries its workflow's placement.
class StampedIds final : public UuidGenerator {
 public:
  StampedIds(UuidGenerator& random, const Uuid& workflow_id)
      : random_(random), hash_(placement_hash(workflow_id)) {}
  Uuid next() override { return stamp_id(random_.next(), hash_); }

 private:
  UuidGenerator& random_;
  uint16_t hash_;
};

}  // namespace backbeat
