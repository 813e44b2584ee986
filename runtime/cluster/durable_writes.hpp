#pragma once
// The agent's durable writes (the partition map, the move state, the copies
// of moving partitions) take the path every workflow's writes take: the
// group committer, so no fsync ever runs on a CAF worker (docs/architecture.md,
// "One write path").
//
// A small writer actor hands each set to the committer and answers once it
// is durable. The agent *awaits* that answer: CAF then holds back every other
// message to the agent until it arrives, so whatever the agent does next
// happens after the write is on disk, as when it wrote synchronously, while
// the worker thread runs other actors instead of waiting for the disk.
// Effects that leave the agent (a publish, a send) therefore belong in
// `then`, never after the call.
#include <functional>
#include <string>

#include <caf/all.hpp>

#include "storage/group_commit.hpp"
#include "storage/write_set.hpp"

namespace backbeat::cluster {

// Linked to `owner`: it goes when the owner does.
caf::actor spawn_durable_writer(caf::event_based_actor* owner, storage::GroupCommitter* committer);

// `why` is empty once the write is durable, else says why it is not.
using Written = std::function<void(const std::string& why)>;

// `self` is the agent; `writer` its writer.
void write_durably(caf::event_based_actor* self, const caf::actor& writer, storage::WriteSet writes,
                   Written then);

}  // namespace backbeat::cluster
