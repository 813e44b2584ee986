#include "actors/notifier_actor.hpp"

#include <algorithm>
#include <unordered_set>

#include "actors/messages.hpp"
#include "engine/log.hpp"
#include "engine/placement.hpp"

namespace backbeat::actors {
namespace {

constexpr Millis kMaxBackoffMs = 10 * 60 * 1000;

// How often the outbox is read again: an entry whose message was lost (its
// workflow actor restarted before handing it over) still goes out.
constexpr std::chrono::minutes kRescanEvery{5};

struct NotifierState {
  const Services* svc = nullptr;
  std::unordered_set<Uuid> known;  // posted or waiting to be retried; until deleted
  // Links whose target another member owns: each has one retry chain, which
  // a rescan must not double, until the owner applied it and it is deleted.
  std::unordered_set<Uuid> away;
  static inline const char* name = "backbeat.notifier";
};

using NotifierSelf = caf::stateful_actor<NotifierState>;

void retry_later(NotifierSelf* self, storage::OutboxEntry entry);

// The owner of the target's partition is another member (or down): only it
// can apply the update, and only this member can delete the record, once
// the owner says the update is durable there. Never dropped on a miss.
void send_away(NotifierSelf* self, const Placement& where, storage::OutboxEntry entry) {
  const Services& svc = *self->state.svc;
  self->state.away.insert(entry.id);
  if (where.kind != Placement::Kind::remote) return retry_later(self, std::move(entry));
  svc.cluster->deliver_link(where, entry, [handle = caf::actor{self}, entry](bool applied) {
    caf::anon_send(handle, linked_atom::value, entry, applied);
  });
}

// A link update goes to the workflow owning its target, through the
// registry like any other message; that workflow deletes the record. In a
// cluster the target's stamp says which member that is (docs/cluster.md).
void route_link(NotifierSelf* self, const storage::OutboxEntry& entry) {
  const Services& svc = *self->state.svc;
  if (svc.cluster)
    if (auto partition = partition_of_stamped(entry.target_node, svc.cluster->partitions())) {
      const Placement where = svc.cluster->place(*partition);
      if (where.kind != Placement::Kind::local) return send_away(self, where, entry);
      self->state.away.erase(entry.id);  // ours now (a move): the local rules apply
    }
  // Unstamped ids come from single-node data, which only this store holds.
  auto loc = svc.store->find_node(entry.target_node);
  if (loc && !*loc) {
    // Nobody to tell: drop it instead of re-sending it forever.
    log::warning("outbox", "link target " + entry.target_node.str() + " not found");
    storage::WriteSet gone;
    gone.delete_outbox(entry.id);
    svc.committer->submit(std::move(gone), [](const Status&) {});
    return;
  }
  if (!loc) return;  // a read error: the next rescan tries again
  caf::anon_send(svc.registry, route_atom::value, (*loc)->workflow_id,
                 engine::Event{engine::ev::LinkUpdate{entry.target_node, entry.link_node,
                                                      entry.finished, entry.id,
                                                      entry.by_user}});
}

// Another attempt later, backing off; the record stays in the outbox meanwhile.
void retry_later(NotifierSelf* self, storage::OutboxEntry entry) {
  entry.attempts += 1;
  const Millis backoff =
      std::min<Millis>(kMaxBackoffMs, 1000ll << std::min<uint32_t>(entry.attempts, 20));
  self->delayed_send(self, std::chrono::milliseconds(backoff), notify_atom::value,
                     std::move(entry));
}

void post(NotifierSelf* self, storage::OutboxEntry entry) {
  const Services& svc = *self->state.svc;
  if (entry.kind == storage::OutboxEntry::Kind::link) return route_link(self, entry);
  net::HttpCall call;
  call.url = entry.url;
  call.body = entry.body;
  call.connect_timeout = svc.tunables.callback_connect_timeout;
  call.timeout = svc.tunables.callback_timeout;
  // Through the gate, so notifications count against the same per-endpoint
  // limit as callbacks: a hanging client is held to its slots either way.
  const auto admitted = svc.gate->submit(
      net::CallKey{entry.id, 0}, std::move(call),
      [handle = caf::actor{self}, entry](net::HttpResult r) {
        const bool ok = r.transport_ok && r.status >= 200 && r.status < 300;
        caf::anon_send(handle, notified_atom::value, entry, ok);
      });
  if (admitted == net::EndpointGate::Admission::refused) retry_later(self, std::move(entry));
}

void rescan(NotifierSelf* self) {
  auto pending = self->state.svc->store->load_outbox();
  if (!pending) {
    log::error("notifier", "cannot read outbox: " + pending.error().message);
    return;
  }
  // Links still on disk were not applied yet (or were lost on the way):
  // send them again. Notifications in hand are already being retried.
  for (auto& entry : *pending) {
    const bool link = entry.kind == storage::OutboxEntry::Kind::link;
    if (link ? !self->state.away.count(entry.id) : self->state.known.insert(entry.id).second)
      post(self, std::move(entry));
  }
}

caf::behavior notifier(NotifierSelf* self, const Services* svc) {
  self->state.svc = svc;
  rescan(self);
  self->delayed_send(self, kRescanEvery, rescan_atom::value);
  return {
      [=](notify_atom, storage::OutboxEntry& entry) {
        if (entry.kind == storage::OutboxEntry::Kind::notification)
          self->state.known.insert(entry.id);
        post(self, std::move(entry));
      },
      [=](rescan_atom) {
        rescan(self);
        self->delayed_send(self, kRescanEvery, rescan_atom::value);
      },
      [=](reload_atom) { rescan(self); },
      [=](forget_atom, const Uuid& id) { self->state.known.erase(id); },
      [=](linked_atom, storage::OutboxEntry& entry, bool applied) {
        if (!applied) return retry_later(self, std::move(entry));
        storage::WriteSet done;
        done.delete_outbox(entry.id);
        // Its chain ends once deleted, so a rescan cannot send it again.
        self->state.svc->committer->submit(
            std::move(done), [handle = caf::actor{self}, id = entry.id](const Status&) {
              caf::anon_send(handle, unlinked_atom::value, id);
            });
      },
      [=](unlinked_atom, const Uuid& id) { self->state.away.erase(id); },
      [=](notified_atom, storage::OutboxEntry& entry, bool ok) {
        const Services& s = *self->state.svc;
        (ok ? s.metrics.notifications_sent : s.metrics.notifications_failed)++;
        if (ok) {
          storage::WriteSet done;
          done.delete_outbox(entry.id);
          // Forgotten only once deleted, so a rescan cannot post it again.
          s.committer->submit(std::move(done), [handle = caf::actor{self}, id = entry.id](
                                                   const Status&) {
            caf::anon_send(handle, forget_atom::value, id);
          });
          return;
        }
        retry_later(self, std::move(entry));
      },
  };
}

}  // namespace

caf::actor spawn_notifier(caf::actor_system& system, const Services* svc) {
  return system.spawn(notifier, svc);
}

}  // namespace backbeat::actors
