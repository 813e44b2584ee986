#include "actors/gateway_actor.hpp"

namespace backbeat::actors {
namespace {

caf::behavior gateway(caf::event_based_actor* self, caf::actor registry,
                      std::chrono::milliseconds timeout) {
  return {
      [=](DispatchJob& job) {
        auto done = std::move(job.done);
        self->request(registry, timeout, route_atom::value, job.workflow, std::move(job.event))
            .then([done](CommandResult& r) { done(std::move(r)); },
                  [done](caf::error& e) {
                    // A timed-out command may still be applied: say so (504)
                    // instead of inviting a blind retry (503 + Retry-After).
                    const bool timed_out = e == caf::sec::request_timeout;
                    done(CommandResult{
                        make_error(timed_out ? Error::Kind::timed_out : Error::Kind::unavailable,
                                   (timed_out ? "no answer in time; the change may have been "
                                                "applied: read it back before retrying: "
                                              : "workflow unavailable: ") +
                                       to_string(e)),
                        {},
                        {}});
                  });
      },
  };
}

}  // namespace

caf::actor spawn_gateway(caf::actor_system& system, caf::actor registry,
                         std::chrono::milliseconds timeout) {
  return system.spawn(gateway, std::move(registry), timeout);
}

void dispatch(const caf::actor& gateway, DispatchJob job) {
  caf::anon_send(gateway, std::move(job));
}

}  // namespace backbeat::actors
