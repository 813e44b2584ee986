#include "actors/api/read_dispatch.hpp"

#include <memory>

#include "actors/api/cluster_routing.hpp"
#include "actors/api/read_pool.hpp"

namespace backbeat::actors::api {
namespace {

// Admin reads (the errored report) share one queue: the operators'.
Uuid queue_of(const Call& call) { return call.user ? call.user->id : Uuid{}; }

}  // namespace

void serve(const Route& route, Call call) {
  if (route.lane == Lane::io || !call.reads) return run_guarded(route.handler, std::move(call));
  ReadPool* pool = call.reads;
  const Uuid queue = queue_of(call);
  // The job may be dropped unrun (the pool stops), so the call is shared,
  // not moved in: this side still answers a refusal.
  auto shared = std::make_shared<Call>(std::move(call));
  auto handler = route.handler;
  const bool queued = pool->submit(queue, [shared, handler](bool run) {
    if (!run)
      return shared->fail(
          make_error(Error::Kind::shutting_down, "this node is stopping; retry on another"));
    run_guarded(handler, std::move(*shared));
  });
  if (queued) return;
  shared->svc->metrics.reads_shed++;
  shared->fail(
      make_error(Error::Kind::reads_busy, "too many of your reads are waiting; retry shortly"));
}

}  // namespace backbeat::actors::api
