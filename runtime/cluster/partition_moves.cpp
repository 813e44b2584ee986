#include "runtime/cluster/partition_moves.hpp"

#include <memory>
#include <sstream>

#include "actors/messages.hpp"
#include "actors/partition_transfer.hpp"
#include "actors/redelivery_actor.hpp"
#include "engine/log.hpp"
#include "engine/placement.hpp"
#include "storage/export_codec.hpp"
#include "storage/workflow_export.hpp"

namespace backbeat::cluster {
namespace {

constexpr size_t kBatchWorkflows = 64;
constexpr size_t kPurgeWorkflows = 32;  // per message: heartbeats stay on time
constexpr auto kMoveTimeout = std::chrono::minutes(30);
constexpr auto kBatchTimeout = std::chrono::minutes(2);
constexpr const char* kIncomingKey = "cluster.incoming";  // "<p> <epoch>\n"...
constexpr const char* kPurgingKey = "cluster.purging";    // "<p>\n"...
constexpr Millis kFirstBackoffMs = 1000, kMaxBackoffMs = 60000;

const std::string& self_id(AgentSelf* self) { return self->state.members->self().id; }

// 0 for a member not known.
uint64_t incarnation_of(AgentSelf* self, const std::string& id) {
  const auto& members = self->state.members->members();
  auto it = members.find(id);
  return it == members.end() ? 0 : it->second.info.incarnation;
}
uint32_t partitions(AgentSelf* self) { return self->state.link->partitions(); }

// An answer that comes after its move was given up must not touch the next one.
bool still_moving(AgentSelf* self, uint64_t move) {
  return self->state.outgoing && self->state.outgoing->id == move;
}

// The two small sets a restart must remember, in the meta; with the map
// too when a commit changes both, in one write. `then` hears "" once durable.
void persist_sets(AgentSelf* self, bool with_map = false, Written then = {}) {
  auto& st = self->state;
  std::ostringstream incoming, gone;
  for (const auto& [p, epoch] : st.incoming) incoming << p << " " << epoch << "\n";
  for (uint32_t p : st.purging) gone << p << "\n";
  storage::WriteSet writes;
  writes.put_meta(kIncomingKey, incoming.str());
  writes.put_meta(kPurgingKey, gone.str());
  if (with_map) writes.put_meta(kMapMetaKey, st.map.serialize());
  persist(self, std::move(writes), [then](const std::string& why) {
    if (!why.empty()) log::error("cluster", "cannot persist the move state: " + why);
    if (then) then(why);
  });
}

void set_purging(AgentSelf* self, uint32_t partition, bool on) {
  auto& purging = self->state.purging;
  if (on ? !purging.insert(partition).second : !purging.erase(partition)) return;
  persist_sets(self);
}

// Deletes some of this member's copy of the partition's workflows; `then`
// hears whether any are left to delete (false too when a step failed).
void purge_some(AgentSelf* self, uint32_t partition, std::function<void(bool more)> then) {
  auto& st = self->state;
  const auto& store = *st.svc->store;
  auto cursor = st.purged_up_to.find(partition);
  auto ids = storage::list_partition_workflows(
      store, partition, partitions(self),
      cursor == st.purged_up_to.end() ? std::nullopt : std::optional<Uuid>(cursor->second),
      kPurgeWorkflows);
  if (!ids) {
    log::error("cluster",
               "cannot list partition " + std::to_string(partition) + ": " + ids.error().message);
    return then(false);
  }
  if (ids->empty()) {
    st.purged_up_to.erase(partition);
    return then(false);
  }
  st.purged_up_to[partition] = ids->back();
  storage::WriteSet erase;
  for (const Uuid& id : *ids) {
    auto writes = actors::purge_workflow_writes(store, id);
    if (!writes) {
      log::error("cluster", "cannot purge workflow " + id.str() + ": " + writes.error().message);
      return then(false);
    }
    erase.append(std::move(*writes));
  }
  persist(self, std::move(erase), [partition, then](const std::string& why) {
    if (!why.empty())
      log::error("cluster", "cannot purge partition " + std::to_string(partition) + ": " + why);
    then(why.empty());
  });
}

// purge_some until nothing is left, then `then`.
void purge_all(AgentSelf* self, uint32_t partition, std::function<void()> then) {
  purge_some(self, partition, [self, partition, then](bool more) {
    if (more) return purge_all(self, partition, then);
    then();
  });
}

void finish_outgoing(AgentSelf* self, const std::string& why) {
  auto& st = self->state;
  if (!st.outgoing) return;
  Outgoing out = std::move(*st.outgoing);
  st.outgoing.reset();
  const uint32_t p = out.order.partition;
  st.moving.erase(p);
  publish(self);
  caf::anon_send(st.svc->registry, actors::fence_atom::value, p, false);
  if (!why.empty()) {
    log::warning("cluster", "move of partition " + std::to_string(p) + " to " + out.order.to +
                                " given up: " + why);
    if (auto target = peer_of(self, out.order.to)) self->send(target, abort_atom::value, p);
  }
  out.promise.deliver(why);
}

// The commit point: the map that gives the partition away is on disk
// before anyone hears of it, and from then on this member only forwards.
void commit(AgentSelf* self) {
  auto& st = self->state;
  Outgoing& out = *st.outgoing;
  const uint32_t p = out.order.partition;
  const PartitionMap before = st.map;
  st.map.assign(p, out.order.to);
  st.purging.insert(p);
  persist_sets(self, true, [self, before, p](const std::string& why) {
    auto& st = self->state;
    if (!why.empty()) {
      st.map = before;
      st.purging.erase(p);
      return finish_outgoing(self, "cannot record the commit");
    }
    if (!st.outgoing) return;  // cannot happen: the agent awaited the write
    const Outgoing& out = *st.outgoing;
    log::info("cluster", "partition " + std::to_string(p) + " moved to " + out.order.to +
                             " at epoch " + std::to_string(st.map.at(p).epoch) + " (" +
                             std::to_string(out.sent) + " workflows)");
    heartbeat_all(self);
    finish_outgoing(self, "");
    self->send(self, drop_atom::value, p);
  });
}

void send_next_batch(AgentSelf* self) {
  auto& st = self->state;
  if (!st.outgoing) return;
  Outgoing& out = *st.outgoing;
  const auto& store = *st.svc->store;
  auto ids = storage::list_partition_workflows(store, out.order.partition, partitions(self),
                                               out.after, kBatchWorkflows);
  if (!ids) return finish_outgoing(self, "cannot list workflows: " + ids.error().message);
  // Even an empty partition sends one batch: the first clears whatever an
  // abandoned attempt left on the new owner, which would go live otherwise.
  if (ids->empty() && out.first_sent) return commit(self);
  ImportBatch batch{out.order.partition, out.epoch, self_id(self), !out.first_sent, {}};
  out.first_sent = true;
  for (const Uuid& id : *ids) {
    auto exported = storage::export_workflow(store, id, out.outbox);
    if (!exported) return finish_outgoing(self, "cannot export " + id.str() + ": " + exported.error().message);
    if (!*exported) continue;
    auto bytes = storage::encode_export(**exported);
    if (!bytes) return finish_outgoing(self, "cannot encode " + id.str() + ": " + bytes.error().message);
    batch.workflows.push_back(std::move(*bytes));
  }
  if (!ids->empty()) out.after = ids->back();
  out.sent += batch.workflows.size();
  caf::actor target = peer_of(self, out.order.to);
  if (!target) return finish_outgoing(self, out.order.to + " is not connected");
  const uint64_t move = out.id;
  self->request(target, kBatchTimeout, import_atom::value, std::move(batch))
      .then(
          [=](std::string& why) {
            if (!still_moving(self, move)) return;
            if (!why.empty()) return finish_outgoing(self, "the new owner refused a batch: " + why);
            send_next_batch(self);
          },
          [=](caf::error& e) {
            if (still_moving(self, move))
              finish_outgoing(self, "no answer from the new owner: " + to_string(e));
          });
}

// The same move failing again (a peer not connected yet, a workflow that
// cannot be exported) must not fence its partition every tick.
void back_off(AgentSelf* self) {
  auto& st = self->state;
  st.plan_backoff = std::clamp(st.plan_backoff * 2, kFirstBackoffMs, kMaxBackoffMs);
  st.plan_after = now_ms(self) + st.plan_backoff;
}

void moved_on(AgentSelf* self) {
  self->state.plan_backoff = 0;
  self->state.plan_after = 0;
}

}  // namespace

void plan_moves(AgentSelf* self) {
  auto& st = self->state;
  const auto live = st.members->live_ids();
  if (live.empty() || live.front() != self_id(self) || st.map.partitions() == 0) return;
  if (st.coordinating) {
    // A move whose either side went down is over (its source gives up, or
    // forgot it when it stopped): plan again, once all owners are back.
    const MoveInFlight& c = *st.coordinating;
    const bool same_sides = st.members->is_up(c.move.from) && st.members->is_up(c.move.to) &&
                            incarnation_of(self, c.move.from) == c.from_incarnation &&
                            incarnation_of(self, c.move.to) == c.to_incarnation;
    if (same_sides && now_ms(self) - c.started < Millis(3600000)) return;
    st.coordinating.reset();
  }
  if (now_ms(self) < st.plan_after) return;
  // A down owner's partitions cannot move (their only copy is on it), and
  // a move planned around it would be undone when it returns: wait.
  for (const std::string& owner : st.map.owners())
    if (!st.members->is_up(owner)) return;
  // A draining member is live (it still serves and sends) but no host: its
  // partitions go to the others.
  auto move = next_move(st.map, st.members->hosts());
  if (!move) return;
  caf::actor from = move->from == self_id(self) ? caf::actor{self} : peer_of(self, move->from);
  if (!from) return;
  st.coordinating = MoveInFlight{*move, now_ms(self), incarnation_of(self, move->from),
                                  incarnation_of(self, move->to)};
  log::info("cluster", "asking " + move->from + " to move partition " +
                           std::to_string(move->partition) + " to " + move->to);
  self->request(from, kMoveTimeout, move_atom::value, MoveOrder{move->partition, move->from, move->to})
      .then(
          [=](std::string& why) {
            self->state.coordinating.reset();
            if (why.empty()) return moved_on(self);
            log::warning("cluster", "move refused: " + why);
            back_off(self);
          },
          [=](caf::error& e) {
            self->state.coordinating.reset();
            log::warning("cluster", "move failed: " + to_string(e));
            back_off(self);
          });
}

caf::result<std::string> carry_out(AgentSelf* self, const MoveOrder& order) {
  auto& st = self->state;
  const uint32_t p = order.partition;
  if (st.outgoing) return std::string("another move is under way here");
  if (p >= st.map.partitions() || st.map.owner(p) != self_id(self))
    return std::string("this member does not own partition " + std::to_string(p));
  if (order.to == self_id(self) || !peer_of(self, order.to))
    return std::string("cannot reach " + order.to);
  auto promise = self->make_response_promise();
  st.outgoing = Outgoing{++st.moves_begun, order, incarnation_of(self, order.to), {}, false,
                         std::nullopt, 0, st.map.epoch() + 1, promise};
  // From here requests for the partition get 503; the registry stops its
  // actors once their batches are durable, so the copy sent is final.
  st.moving.insert(p);
  publish(self);
  log::info("cluster", "moving partition " + std::to_string(p) + " to " + order.to);
  const uint64_t move = st.outgoing->id;
  self->request(st.svc->registry, kBatchTimeout, actors::fence_atom::value, p, true)
      .then([=](bool) {
              if (!still_moving(self, move)) return;
              // Only now: the evicted actors' last batches may have added entries.
              auto outbox = self->state.svc->store->load_outbox();
              if (!outbox) return finish_outgoing(self, "cannot read the outbox: " + outbox.error().message);
              self->state.outgoing->outbox = std::move(*outbox);
              send_next_batch(self);
            },
            [=](caf::error& e) {
              if (still_moving(self, move)) finish_outgoing(self, "cannot fence: " + to_string(e));
            });
  return promise;
}

namespace {

// One batch of the copy, each workflow replacing any older copy of itself,
// in one atomic write; `done` hears "" once it is durable.
void write_batch(AgentSelf* self, const ImportBatch& batch, Written done) {
  const uint32_t p = batch.partition;
  const auto& store = *self->state.svc->store;
  storage::WriteSet writes;
  for (const std::string& bytes : batch.workflows) {
    auto exported = storage::decode_export(bytes);
    if (!exported) return done("bad workflow from " + batch.from + ": " + exported.error().message);
    if (partition_of_workflow(exported->workflow.id, partitions(self)) != p)
      return done("workflow " + exported->workflow.id.str() + " is not in partition " +
                  std::to_string(p));
    auto stale = actors::purge_workflow_writes(store, exported->workflow.id);
    auto fresh = actors::import_workflow(*exported);
    if (!stale) return done(stale.error().message);
    if (!fresh) return done(fresh.error().message);
    writes.append(std::move(*stale));
    writes.append(std::move(*fresh));
  }
  persist(self, std::move(writes), std::move(done));
}

}  // namespace

caf::result<std::string> take_batch(AgentSelf* self, ImportBatch& batch) {
  auto& st = self->state;
  const uint32_t p = batch.partition;
  if (p >= partitions(self)) return std::string("no partition " + std::to_string(p));
  if (st.map.partitions() > 0 && st.map.owner(p) == self_id(self))
    return std::string("partition " + std::to_string(p) + " is already here");
  // An earlier copy is being deleted in steps (heartbeats go on meanwhile):
  // the move is tried again later, after it.
  if (st.purging.count(p))
    return std::string("still deleting an earlier copy of partition " + std::to_string(p));
  auto promise = self->make_response_promise();
  const uint64_t epoch = batch.epoch;
  auto known = st.incoming.find(p);
  const bool same_attempt = !batch.first && known != st.incoming.end() && known->second == epoch;
  // Shared, not copied: the continuations below are copied at every purge step.
  auto write = [self, batch = std::make_shared<const ImportBatch>(std::move(batch)),
                promise]() mutable {
    write_batch(self, *batch, [promise](const std::string& why) mutable { promise.deliver(why); });
  };
  if (same_attempt) {
    write();
    return promise;
  }
  // A new attempt (a retry after the old owner restarted may reuse the
  // epoch): whatever an earlier, abandoned one left goes first. Recorded
  // drops are purged in steps before; this only catches what was not.
  st.purged_up_to.erase(p);
  purge_all(self, p, [self, p, epoch, write]() mutable {
    self->state.incoming[p] = epoch;
    persist_sets(self, false, [write](const std::string&) mutable { write(); });
  });
  return promise;
}

void check_outgoing(AgentSelf* self) {
  auto& st = self->state;
  if (!st.outgoing) return;
  const std::string& to = st.outgoing->order.to;
  if (!st.members->is_up(to)) return finish_outgoing(self, to + " is down");
  if (incarnation_of(self, to) != st.outgoing->to_incarnation)
    finish_outgoing(self, to + " restarted");
}

void drop_incoming(AgentSelf* self, uint32_t partition) {
  auto& st = self->state;
  if (!st.incoming.erase(partition)) return;
  log::warning("cluster", "dropping the copy of partition " + std::to_string(partition) +
                              ": its move was given up");
  st.purging.insert(partition);  // a restart finishes the drop
  persist_sets(self, false, [self, partition](const std::string&) {
    self->send(self, drop_atom::value, partition);
  });
}

void settle_arrivals(AgentSelf* self, std::function<void()> then) {
  auto& st = self->state;
  bool arrived = false, changed = false;
  for (auto it = st.incoming.begin(); it != st.incoming.end();) {
    const auto [p, epoch] = *it;
    if (p >= st.map.partitions()) {
      ++it;
      continue;
    }
    const Assignment& a = st.map.at(p);
    if (a.owner == self_id(self)) {
      log::info("cluster", "partition " + std::to_string(p) + " is live here (epoch " +
                               std::to_string(a.epoch) + ")");
      arrived = true;
      it = st.incoming.erase(it);
    } else if (a.epoch >= epoch) {
      // The move this copy was for went another way.
      st.purging.insert(p);
      self->send(self, drop_atom::value, p);
      it = st.incoming.erase(it);
      changed = true;
    } else {
      ++it;
    }
  }
  auto after = [self, arrived, then] {
    if (arrived) {
      // Its timers, in-flight callbacks and undelivered notifications are on
      // disk now: have them picked up without waiting for the next rescans,
      // once the API and registry see the partition as this member's.
      const actors::Services& svc = *self->state.svc;
      publish(self);
      caf::anon_send(svc.timers, actors::reload_atom::value);
      caf::anon_send(svc.notifier, actors::reload_atom::value);
      actors::room_signal(svc.redelivery)();
    }
    if (then) then();
  };
  if (!arrived && !changed) return after();
  persist_sets(self, false, [after](const std::string&) { after(); });
}

void resume_moves(AgentSelf* self) {
  auto& st = self->state;
  if (auto text = st.svc->store->get_meta(kIncomingKey); text && *text) {
    std::istringstream in(**text);
    uint32_t p = 0;
    uint64_t epoch = 0;
    while (in >> p >> epoch) st.incoming[p] = epoch;
  }
  if (auto text = st.svc->store->get_meta(kPurgingKey); text && *text) {
    std::istringstream in(**text);
    uint32_t p = 0;
    while (in >> p) st.purging.insert(p);
  }
  for (uint32_t p : st.purging) self->send(self, drop_atom::value, p);
  // The map on disk may already give away, or hand over, what was incoming;
  // after the loop, so a copy it gives up starts one deletion, not two.
  settle_arrivals(self);
}

void purge_step(AgentSelf* self, uint32_t partition) {
  auto& st = self->state;
  // A partition that came back (or whose copy is incoming again) stays.
  if ((partition < st.map.partitions() && st.map.owner(partition) == self_id(self)) ||
      st.incoming.count(partition)) {
    st.purged_up_to.erase(partition);
    set_purging(self, partition, false);
    return;
  }
  purge_some(self, partition, [self, partition](bool more) {
    if (more) return self->send(self, drop_atom::value, partition);
    set_purging(self, partition, false);
  });
}

}  // namespace backbeat::cluster
