#pragma once
// Moving a partition from its owner to another member (docs/cluster.md,
// "Moving partitions"): the coordinator plans one move at a time, the old
// owner fences the partition, streams its workflows, and commits by
// recording the new map durably; the new owner holds the copy as incoming
// until a map says the partition is its own.
#include "runtime/cluster/agent_state.hpp"

namespace backbeat::cluster {

// Every tick: the lowest live member asks for the next move, if any.
void plan_moves(AgentSelf* self);

// The old owner carries out an order; "" once committed, else why not.
caf::result<std::string> carry_out(AgentSelf* self, const MoveOrder& order);

// The new owner writes one batch of an incoming partition; "" once durable.
// Any older copy is deleted first, in steps of its own.
caf::result<std::string> take_batch(AgentSelf* self, ImportBatch& batch);

// Every tick: a move whose new owner went down is given up at once, not
// after a batch's timeout; its partition would answer 503 all that time.
void check_outgoing(AgentSelf* self);

// The new owner drops an incoming copy whose move was given up.
void drop_incoming(AgentSelf* self, uint32_t partition);

// After the map changed: incoming partitions the map now gives this member
// go live (timers, callbacks and notifications are picked up from disk);
// those it gave to another member are dropped. `then` runs after, once
// what changed is durable.
void settle_arrivals(AgentSelf* self, std::function<void()> then = {});

// At start: resume dropping copies of partitions given away, and reload
// what was incoming.
void resume_moves(AgentSelf* self);

// One step of deleting this member's copy of a partition it gave away.
void purge_step(AgentSelf* self, uint32_t partition);

}  // namespace backbeat::cluster
