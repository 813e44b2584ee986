#include "actors/notifier_actor.hpp"

#include <algorithm>
#include <iostream>

#include "actors/messages.hpp"

namespace backbeat::actors {
namespace {

constexpr Millis kMaxBackoffMs = 10 * 60 * 1000;

struct State {
  const Services* svc = nullptr;
  static inline const char* name = "backbeat.notifier";
};

using Self = caf::stateful_actor<State>;

void post(Self* self, storage::OutboxEntry entry) {
  const Services& svc = *self->state.svc;
  net::HttpCall call;
  call.url = entry.url;
  call.body = entry.body;
  call.connect_timeout = svc.tunables.callback_connect_timeout;
  call.timeout = svc.tunables.callback_timeout;
  svc.http->send(std::move(call), [handle = caf::actor{self}, entry](net::HttpResult r) {
    const bool ok = r.transport_ok && r.status >= 200 && r.status < 300;
    caf::anon_send(handle, notified_atom::value, entry, ok);
  });
}

caf::behavior notifier(Self* self, const Services* svc) {
  self->state.svc = svc;
  if (auto pending = svc->store->load_outbox())
    for (auto& entry : *pending) post(self, std::move(entry));
  else
    std::cerr << "[notifier] cannot read outbox: " << pending.error().message << std::endl;
  return {
      [=](notify_atom, storage::OutboxEntry& entry) { post(self, std::move(entry)); },
      [=](notified_atom, storage::OutboxEntry& entry, bool ok) {
        const Services& s = *self->state.svc;
        (ok ? s.metrics.notifications_sent : s.metrics.notifications_failed)++;
        if (ok) {
          storage::WriteSet done;
          done.delete_outbox(entry.id);
          s.committer->submit(std::move(done), [](const Status&) {});
          return;
        }
        entry.attempts += 1;
        const Millis backoff =
            std::min<Millis>(kMaxBackoffMs, 1000ll << std::min<uint32_t>(entry.attempts, 20));
        self->delayed_send(self, std::chrono::milliseconds(backoff), notify_atom::value,
                           std::move(entry));
      },
  };
}

}  // namespace

caf::actor spawn_notifier(caf::actor_system& system, const Services* svc) {
  return system.spawn(notifier, svc);
}

}  // namespace backbeat::actors
