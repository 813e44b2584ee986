#include "actors/link_intake.hpp"

#include "actors/messages.hpp"
#include "engine/log.hpp"

namespace backbeat::actors {

void take_link(caf::event_based_actor* self, const Services& svc, const storage::OutboxEntry& link,
               std::function<void(bool applied)> done) {
  auto loc = svc.store->find_node(link.target_node);
  if (!loc || !*loc) {
    // Not a reason to drop it: the sender placed it here by its stamp, so the
    // node may still be arriving (a move), or this member may be behind.
    log::warning("links", "target " + link.target_node.str() + " is not here" +
                              (loc ? "" : ": " + loc.error().message));
    return done(false);
  }
  engine::Event event{engine::ev::LinkUpdate{link.target_node, link.link_node, link.finished,
                                             std::nullopt, link.by_user}};
  // The registry's answer comes from the workflow actor once the batch the
  // event made is durable; an error (not ours, moving, refused) is a value.
  self->request(svc.registry, svc.tunables.request_timeout, route_atom::value, (*loc)->workflow_id,
                std::move(event))
      .then([done](CommandResult& r) { done(!r.error); },
            [done](caf::error&) { done(false); });
}

}  // namespace backbeat::actors
