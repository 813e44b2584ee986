#pragma once
// The storage side of moving a partition (docs/cluster.md, "Moving
// partitions"), one workflow at a time: the old owner exports it
// (storage/workflow_export.hpp, sent as storage/export_codec.hpp), the new
// owner writes what import_workflow lays out, and once the move is
// committed the old owner deletes its copy with purge_workflow_writes.
//
// Only records travel. Every derived key is written by the code that
// writes it for every change (plan_persistence over effects_of_whole), the
// same layout retention erases (purge_plan.hpp), so the three can never
// disagree about which keys a workflow has.
#include "engine/result.hpp"
#include "storage/store.hpp"
#include "storage/workflow_export.hpp"
#include "storage/write_set.hpp"

namespace backbeat::actors {

// The batch that makes a store hold the workflow exactly as its source
// did: its records, node_index, search index entries (past statuses once
// per word), timers, in-flight markers, retention's queue entry and its
// undelivered outbox messages. Refuses an export that does not fit
// together (check_export). The target must not hold an older copy of the
// workflow; to replace one, write purge_workflow_writes(target, id) and
// this in one Store::write (later operations win within a batch).
Result<storage::WriteSet> import_workflow(const storage::ExportedWorkflow& exported);

// The batch that deletes every key the store holds for the workflow,
// outbox messages it sent included (retention's purge keeps those; a move
// hands them to the new owner). Empty when there is no such workflow. No
// archive line: the workflow lives on at its new owner.
Result<storage::WriteSet> purge_workflow_writes(const storage::Store& store, const Uuid& id);

}  // namespace backbeat::actors
