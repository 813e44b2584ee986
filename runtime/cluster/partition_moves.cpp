#include "runtime/cluster/partition_moves.hpp"

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
// too when a commit changes both, in one write.
Status persist_sets(AgentSelf* self, bool with_map = false) {
  auto& st = self->state;
  std::ostringstream incoming, gone;
  for (const auto& [p, epoch] : st.incoming) incoming << p << " " << epoch << "\n";
  for (uint32_t p : st.purging) gone << p << "\n";
  storage::WriteSet writes;
  writes.put_meta(kIncomingKey, incoming.str());
  writes.put_meta(kPurgingKey, gone.str());
  if (with_map) writes.put_meta(kMapMetaKey, st.map.serialize());
  auto s = st.svc->store->write(std::move(writes), true);
  if (!s) log::error("cluster", "cannot persist the move state: " + s.error().message);
  return s;
}

void set_purging(AgentSelf* self, uint32_t partition, bool on) {
  auto& purging = self->state.purging;
  if (on ? !purging.insert(partition).second : !purging.erase(partition)) return;
  persist_sets(self);
}

// Deletes this member's copy of the partition's workflows, a few at a time.
// Returns false when nothing is left.
bool purge_some(AgentSelf* self, uint32_t partition) {
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
    return false;
  }
  if (ids->empty()) {
    st.purged_up_to.erase(partition);
    return false;
  }
  st.purged_up_to[partition] = ids->back();
  std::vector<storage::WriteSet> sets;
  for (const Uuid& id : *ids) {
    auto writes = actors::purge_workflow_writes(store, id);
    if (!writes) {
      log::error("cluster", "cannot purge workflow " + id.str() + ": " + writes.error().message);
      return false;
    }
    sets.push_back(std::move(*writes));
  }
  if (auto s = self->state.svc->store->write(sets, true); !s) {
    log::error("cluster",
               "cannot purge partition " + std::to_string(partition) + ": " + s.error().message);
    return false;
  }
  return true;
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
  if (!persist_sets(self, true)) {
    st.map = before;
    st.purging.erase(p);
    return finish_outgoing(self, "cannot record the commit");
  }
  log::info("cluster", "partition " + std::to_string(p) + " moved to " + out.order.to +
                           " at epoch " + std::to_string(st.map.at(p).epoch) + " (" +
                           std::to_string(out.sent) + " workflows)");
  heartbeat_all(self);
  finish_outgoing(self, "");
  self->send(self, drop_atom::value, p);
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
  auto known = st.incoming.find(p);
  if (batch.first || known == st.incoming.end() || known->second != batch.epoch) {
    // A new attempt (a retry after the old owner restarted may reuse the
    // epoch): whatever an earlier, abandoned one left goes first. Recorded
    // drops are purged in steps before; this only catches what was not.
    st.purged_up_to.erase(p);
    while (purge_some(self, p)) {
    }
    st.incoming[p] = batch.epoch;
    persist_sets(self);
  }
  const auto& store = *st.svc->store;
  std::vector<storage::WriteSet> sets;
  for (const std::string& bytes : batch.workflows) {
    auto exported = storage::decode_export(bytes);
    if (!exported) return std::string("bad workflow from " + batch.from + ": " + exported.error().message);
    if (partition_of_workflow(exported->workflow.id, partitions(self)) != p)
      return std::string("workflow " + exported->workflow.id.str() + " is not in partition " +
                         std::to_string(p));
    // Replaces any older copy in the same atomic write.
    auto stale = actors::purge_workflow_writes(store, exported->workflow.id);
    auto fresh = actors::import_workflow(*exported);
    if (!stale) return std::string(stale.error().message);
    if (!fresh) return std::string(fresh.error().message);
    sets.push_back(std::move(*stale));
    sets.push_back(std::move(*fresh));
  }
  if (auto s = st.svc->store->write(sets, true); !s) return std::string(s.error().message);
  return std::string();
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
  persist_sets(self);
  self->send(self, drop_atom::value, partition);
}

void settle_arrivals(AgentSelf* self) {
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
  if (arrived || changed) persist_sets(self);
  if (!arrived) return;
  // Its timers, in-flight callbacks and undelivered notifications are on
  // disk now: have them picked up without waiting for the next rescans,
  // once the API and registry see the partition as this member's.
  publish(self);
  caf::anon_send(st.svc->timers, actors::reload_atom::value);
  caf::anon_send(st.svc->notifier, actors::reload_atom::value);
  actors::room_signal(st.svc->redelivery)();
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
  if (purge_some(self, partition)) {
    self->send(self, drop_atom::value, partition);
    return;
  }
  set_purging(self, partition, false);
}

}  // namespace backbeat::cluster
