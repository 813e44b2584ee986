#include "runtime/cluster/link_relay.hpp"

#include "actors/link_intake.hpp"
#include "engine/log.hpp"

namespace backbeat::cluster {

void send_link(AgentSelf* self, const std::string& member, const WireLink& link,
               const LinkDone& done) {
  caf::actor peer = peer_of(self, member);
  if (!peer) return done.done(false);
  auto reply = done.done;
  self->request(peer, self->state.link->settings().forward_timeout, link_atom::value, link)
      .then([reply](bool applied) { reply(applied); },
            [reply, member](caf::error& e) {
              log::warning("cluster", "link update to " + member + " failed: " + to_string(e));
              reply(false);
            });
}

caf::result<bool> take_remote_link(AgentSelf* self, const WireLink& link) {
  auto promise = self->make_response_promise<bool>();
  actors::take_link(self, *self->state.svc, from_wire(link),
                    [promise](bool applied) mutable { promise.deliver(applied); });
  return promise;
}

}  // namespace backbeat::cluster
