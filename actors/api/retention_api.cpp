// Retention for operators (admin token): the settings and what the last
// sweep step did, and a sweep step on demand, e.g. right after lowering
// retention.completed_after, or to see what a pass would keep and why.
#include <memory>

#include "actors/api/handlers.hpp"
#include "actors/messages.hpp"
#include "actors/retention_actor.hpp"
#include "net/contract/iso_time.hpp"

namespace backbeat::actors::api {
namespace {

contract::OrderedJson present_sweep(const SweepReport& r) {
  return {{"startedAt", contract::format_iso8601_ms(r.started_at)},
          {"finishedAt", contract::format_iso8601_ms(r.finished_at)},
          {"durationMs", r.finished_at - r.started_at},
          {"cutoff", contract::format_iso8601_ms(r.cutoff)},
          {"examined", r.examined},
          {"purged", r.purged},
          {"kept", r.kept},
          {"failed", r.failed},
          {"more", r.more},
          {"error", r.error.empty() ? contract::OrderedJson() : contract::OrderedJson(r.error)}};
}

contract::OrderedJson present_retention(const Services& svc, const RetentionStatus& status) {
  const RetentionSettings& s = svc.retention;
  const Metrics& m = svc.metrics;
  return {
      {"enabled", s.enabled()},
      {"completedAfterSeconds",
       s.enabled() ? contract::OrderedJson(s.completed_after.count()) : contract::OrderedJson()},
      {"sweepIntervalSeconds", s.sweep_interval.count()},
      {"batchSize", s.batch_size},
      {"archiveDir", s.archive_dir.empty() ? contract::OrderedJson() : contract::OrderedJson(s.archive_dir)},
      {"sweeping", status.sweeping},
      {"lastSweep", status.last ? present_sweep(*status.last) : contract::OrderedJson()},
      {"totals",
       {{"sweeps", m.retention_sweeps.load()},
        {"purged", m.retention_purged.load()},
        {"archived", m.retention_archived.load()},
        {"kept", m.retention_kept.load()},
        {"failed", m.retention_failed.load()}}}};
}

}  // namespace

void get_retention(Call call) {
  const Services* svc = call.svc;
  if (!svc->sweeper) return call.reply(200, present_retention(*svc, {}));
  // Answered on the sweeper's thread; a call dropped on the way answers 500.
  auto shared = std::make_shared<Call>(std::move(call));
  caf::anon_send(svc->sweeper, stats_atom::value,
                 RetentionStatusRequest{[shared](const RetentionStatus& status) {
                   shared->reply(200, present_retention(*shared->svc, status));
                 }});
}

void sweep_retention(Call call) {
  const Services* svc = call.svc;
  if (!svc->sweeper)
    return call.fail(
        make_error(Error::Kind::retention_off, "retention is off (retention.completed_after)"));
  auto shared = std::make_shared<Call>(std::move(call));
  caf::anon_send(svc->sweeper, sweep_atom::value, SweepRequest{[shared](const SweepReport& r) {
                   shared->reply(200, present_sweep(r));
                 }});
}

}  // namespace backbeat::actors::api
