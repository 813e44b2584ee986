// Infrastructure endpoints (docs/contract.md §9.5): /health checks the store
// for real; /heartbeat.txt is what a load balancer polls.
#include <ctime>

#include "actors/api/handlers.hpp"
#include "net/contract/iso_time.hpp"

namespace backbeat::actors::api {

void health(Call call) {
  const bool store_ok = call.svc->store->get_meta("schema_version").ok();
  const Millis now = call.svc->clock();
  std::time_t secs = now / 1000;
  std::tm local{};
  localtime_r(&secs, &local);
  call.reply(200, {{"sha", nullptr},
                   {"time", contract::format_iso8601_offset_seconds(now, int(local.tm_gmtoff))},
                   {"status", store_ok ? "OK" : "DATABASE_UNREACHABLE"}});
}

void metrics(Call call) {
  const storage::GroupCommitStats commits = call.svc->committer->stats();
  if (call.svc->gate) call.svc->metrics.callbacks_queued = int64_t(call.svc->gate->stats().queued);
  call.reply_text(200, render_metrics(call.svc->metrics, commits));
}

void heartbeat(Call call) {
  net::HttpResponse r;
  r.content_type = "text/plain";
  if (call.svc->draining) {
    r.status = 503;
    r.body = "It's dead, Jim.";
  } else {
    r.status = 200;
    r.body = "We have a pulse.";
    r.headers.emplace_back("Cache-Control", "private, no-cache, no-store, must-revalidate");
  }
  call.respond(std::move(r));
}

}  // namespace backbeat::actors::api
