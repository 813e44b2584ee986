// Node operations for operators (admin token): the drain switch behind
// /heartbeat.txt (the original's runbook: remove the heartbeat file, let the
// load balancer drain the host, restart, put it back).
#include "actors/api/fields.hpp"
#include "actors/api/handlers.hpp"

namespace backbeat::actors::api {
namespace {

net::OrderedJson drain_state(const Services& svc) { return {{"draining", svc.draining.load()}}; }

}  // namespace

void get_drain(Call call) { call.reply(200, drain_state(*call.svc)); }

void set_drain(Call call) {
  if (!has(call.params, "draining") || !call.params["draining"].is_boolean())
    return call.fail(bad_request("draining must be true or false"));
  const bool on = call.params["draining"].get<bool>();
  storage::WriteSet writes;
  writes.put_meta(std::string(kDrainingMetaKey), on ? "1" : "0");
  const Services* svc = call.svc;
  // Durable first: a node restarted mid-drain must come back drained.
  svc->committer->submit(std::move(writes), [svc, on, call = std::move(call)](const Status& s) {
    if (!s) return call.fail(s.error());
    svc->draining = on;
    call.reply(200, drain_state(*svc));
  });
}

}  // namespace backbeat::actors::api
