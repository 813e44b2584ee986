#include "actors/redelivery_actor.hpp"

#include <unordered_map>
#include <unordered_set>

#include "actors/callback_sender.hpp"
#include "actors/messages.hpp"
#include "engine/log.hpp"

namespace backbeat::actors {
namespace {

using room_atom = caf::atom_constant<caf::atom("bb_room")>;
using begin_atom = caf::atom_constant<caf::atom("bb_begin")>;
using pass_atom = caf::atom_constant<caf::atom("bb_pass")>;

// Room reports come with every slot freed while an endpoint drains; one
// pass covers all those arriving within this long. A pass reads the whole
// in-flight index, so passes for room are also kept kMinPassGap apart.
constexpr std::chrono::milliseconds kCoalesce{50};
constexpr std::chrono::milliseconds kMinPassGap{1000};

struct RedeliveryState {
  const Services* svc = nullptr;
  bool pass_scheduled = false;
  std::chrono::steady_clock::time_point last_pass{};
  bool force_next = false;  // the last pass could not read the index
  static inline const char* name = "backbeat.redelivery";
};

using RedeliverySelf = caf::stateful_actor<RedeliveryState>;

void pass(RedeliverySelf* self) {
  auto& st = self->state;
  st.last_pass = std::chrono::steady_clock::now();
  const Services& svc = *st.svc;
  net::EndpointGate& gate = *svc.gate;
  // Cleared before reading: a callback refused from now on marks its
  // endpoint again, and one refused before is on disk, so in what we read.
  gate.clear_deferred();
  auto inflight = svc.store->inflight_callbacks();
  if (!inflight) {
    log::error("redelivery", "cannot read in-flight callbacks: " + inflight.error().message);
    st.force_next = true;
    return;
  }
  st.force_next = false;
  std::unordered_map<std::string, size_t> offered;  // per endpoint, this pass
  std::unordered_set<Uuid> wake;
  for (const auto& [wf, node_id] : *inflight) {
    if (wake.count(wf)) continue;  // its actor re-sends all of its nodes
    // Read, not guessed from the id: an older attempt may still be on its
    // way while the current one waits.
    auto node = svc.store->get_node(wf, node_id);
    if (!node || !*node || !(*node)->callback_pending) continue;
    const Node& n = **node;
    if (gate.holds(net::CallKey{n.id, n.attempt})) continue;
    auto user = svc.users->find(n.user_id);
    // No endpoint to wait for: its actor hands it to the activity runner,
    // which ignores a run it already has.
    if (!user || n.runs_in_engine()) {
      wake.insert(wf);  // its actor reports the missing user as the node's error
      continue;
    }
    const std::string url = callback_url(n, *user);
    size_t& count = offered[net::endpoint_of(url)];
    if (count >= gate.room(url)) {
      gate.mark_deferred(url);
      continue;
    }
    ++count;
    wake.insert(wf);
  }
  svc.metrics.callbacks_redelivered += wake.size();
  for (const Uuid& wf : wake) caf::anon_send(svc.registry, recover_atom::value, wf);
}

caf::behavior redelivery(RedeliverySelf* self, const Services* svc) {
  self->state.svc = svc;
  return {
      [=](begin_atom) {
        pass(self);  // everything in flight when the node last stopped
        self->delayed_send(self, self->state.svc->tunables.callback_rescan, rescan_atom::value);
      },
      [=](rescan_atom) {
        if (self->state.force_next || self->state.svc->gate->has_deferred()) pass(self);
        self->delayed_send(self, self->state.svc->tunables.callback_rescan, rescan_atom::value);
      },
      [=](room_atom) {
        auto& st = self->state;
        if (st.pass_scheduled) return;
        st.pass_scheduled = true;
        const auto since = std::chrono::steady_clock::now() - st.last_pass;
        const auto wait = std::max<std::chrono::steady_clock::duration>(kCoalesce, kMinPassGap - since);
        self->delayed_send(self, std::chrono::duration_cast<std::chrono::milliseconds>(wait),
                           pass_atom::value);
      },
      [=](pass_atom) {
        self->state.pass_scheduled = false;
        pass(self);
      },
  };
}

}  // namespace

caf::actor spawn_redelivery(caf::actor_system& system, const Services* svc) {
  return system.spawn<caf::lazy_init>(redelivery, svc);
}

void start_redelivery(const caf::actor& redelivery) {
  caf::anon_send(redelivery, begin_atom::value);
}

std::function<void()> room_signal(const caf::actor& redelivery) {
  return [redelivery] { caf::anon_send(redelivery, room_atom::value); };
}

}  // namespace backbeat::actors
