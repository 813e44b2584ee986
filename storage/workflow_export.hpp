#pragma once
// A workflow, whole, as it leaves its partition's owner for a new one
// (docs/cluster.md, "Moving partitions"): the records the store holds for
// it, and nothing derived. Every derived key (node_index, search indexes,
// timers, in-flight markers, retention's queue) is rebuilt on the target by
// the code that writes it for every change (actors/partition_transfer.hpp),
// so a move can never carry a key layout of its own.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "engine/model.hpp"
#include "engine/result.hpp"
#include "storage/records.hpp"
#include "storage/store.hpp"

namespace backbeat::storage {

struct ExportedWorkflow {
  Workflow workflow;
  std::vector<Node> nodes;            // by seq
  std::vector<StatusChange> history;  // every row of every node, in key order
  // The undelivered messages it sent (notifications, link updates): they
  // leave with it, so its new owner delivers them. See sent_by.
  std::vector<OutboxEntry> outbox;
  // Whether it sat in retention's queue. The queue entry itself is derived
  // from workflow.complete; this says what the source held, to check.
  bool queued_for_retention = false;
};

// The workflows of `partition` (of `partitions`), in id order, at most
// `limit`, each after `after` (the last id of the previous page).
// Keys carry no partition (a workflow id is a name-based UUID and the
// partition a hash of it), so this scans the workflows family and keeps
// the ids that hash to the partition: one pass over every workflow per
// move, which is rare, for no cost on any write.
Result<std::vector<Uuid>> list_partition_workflows(const Store& store, uint32_t partition,
                                                   uint32_t partitions,
                                                   std::optional<Uuid> after, size_t limit);

// Whether `entry` is a message `workflow` sent. Entries carry their sender's
// workflow id; link updates written before that field existed name it only
// by their sending node. A notification from those builds names no
// workflow at all: it stays with its old owner, which delivers it (a
// notification needs no owner, only its URL).
bool sent_by(const OutboxEntry& entry, const Uuid& workflow, std::span<const Node> nodes);

// Everything the store holds for the workflow, read from one snapshot;
// nullopt when there is no such workflow. Its outbox entries are found by a
// scan of the outbox (undelivered messages only, so short); to export many
// workflows, read the outbox once and pass it to the second form.
Result<std::optional<ExportedWorkflow>> export_workflow(const Store& store, const Uuid& id);
Result<std::optional<ExportedWorkflow>> export_workflow(const Store& store, const Uuid& id,
                                                        std::span<const OutboxEntry> outbox);

// Whether the parts fit together: every node, row and message is the
// workflow's, no id repeats, the queue entry only for a complete workflow.
// Bytes from the network are checked with this before anything is written.
Status check_export(const ExportedWorkflow& exported);

}  // namespace backbeat::storage
