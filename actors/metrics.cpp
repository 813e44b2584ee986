#include "actors/metrics.hpp"

#include <vector>

namespace backbeat::actors {
namespace {

struct Series {
  const char* name;
  const char* type;  // "counter" | "gauge"
  const char* help;
  std::string value;
};

std::string number(int64_t v) { return std::to_string(v); }

}  // namespace

std::string render_metrics(const Metrics& m, const storage::GroupCommitStats& commits) {
  std::string out;
  out += "# HELP backbeat_http_responses_total HTTP responses by status class\n"
         "# TYPE backbeat_http_responses_total counter\n";
  for (size_t cls = 1; cls <= 5; ++cls)
    out += "backbeat_http_responses_total{class=\"" + std::to_string(cls) + "xx\"} " +
           std::to_string(m.http_responses[cls].load()) + "\n";
  out += "# HELP backbeat_http_connections_refused_total HTTP connections answered 503 and "
         "closed, by the limit they met\n"
         "# TYPE backbeat_http_connections_refused_total counter\n"
         "backbeat_http_connections_refused_total{limit=\"max_connections\"} " +
         std::to_string(m.http_server.refused_capacity.load()) +
         "\nbackbeat_http_connections_refused_total{limit=\"max_connections_per_address\"} " +
         std::to_string(m.http_server.refused_per_address.load()) + "\n";
  const std::vector<Series> series = {
      {"backbeat_http_request_timeouts_total", "counter",
       "HTTP connections closed because a request header or body did not arrive in time",
       std::to_string(m.http_server.request_timeouts.load())},
      {"backbeat_http_tls_handshake_failures_total", "counter",
       "HTTPS connections whose TLS handshake failed (plain HTTP among them)",
       std::to_string(m.http_server.tls_handshake_failures.load())},
      {"backbeat_commands_in_flight", "gauge", "API commands awaiting a workflow",
       number(m.commands_in_flight)},
      {"backbeat_commands_shed_total", "counter", "commands refused with 503 (overload)",
       number(m.commands_shed)},
      {"backbeat_workflow_commands_shed_total", "counter",
       "commands refused with 503 (their workflow's backlog full)",
       number(m.workflow_commands_shed)},
      {"backbeat_new_work_shed_total", "counter",
       "signals, restarts, resumes, schedules refused with 503 (callbacks backed up)",
       number(m.new_work_shed)},
      {"backbeat_user_commands_shed_total", "counter",
       "commands refused with 429 (the user's quotas.commands_in_flight)",
       number(m.user_commands_shed)},
      {"backbeat_quota_refusals_total", "counter",
       "requests refused by another per-user quota (decisions, nodes, callbacks)",
       number(m.quota_refusals)},
      {"backbeat_links_refused_total", "counter",
       "link updates dropped where applied: the target's owner had not granted it",
       number(m.links_refused)},
      {"backbeat_reads_shed_total", "counter",
       "reads refused with 503 (the user's read queue full)", number(m.reads_shed)},
      {"backbeat_reads_partial_total", "counter",
       "listings answered partial (their scan budget spent)", number(m.reads_partial)},
      {"backbeat_events_applied_total", "counter", "engine events accepted",
       number(m.events_applied)},
      {"backbeat_events_refused_total", "counter", "engine events refused",
       number(m.events_refused)},
      {"backbeat_workflow_actors", "gauge", "live workflow actors", number(m.workflow_actors)},
      {"backbeat_workflow_restarts_total", "counter", "crashed workflow actors restarted",
       number(m.workflow_restarts)},
      {"backbeat_timers_armed", "gauge", "timers held in memory", number(m.timers_armed)},
      {"backbeat_timers_fired_total", "counter", "timers fired", number(m.timers_fired)},
      {"backbeat_callbacks_sent_total", "counter", "callbacks POSTed to clients",
       number(m.callbacks_sent)},
      {"backbeat_callbacks_failed_total", "counter", "callbacks that failed",
       number(m.callbacks_failed)},
      {"backbeat_callback_seconds_total", "counter", "time clients took to answer callbacks",
       std::to_string(double(m.callback_micros) / 1e6)},
      {"backbeat_callbacks_in_flight", "gauge", "callbacks awaiting an answer",
       number(m.callbacks_in_flight)},
      {"backbeat_callbacks_queued", "gauge", "callbacks waiting for a slot at their endpoint",
       number(m.callbacks_queued)},
      {"backbeat_callbacks_deferred_total", "counter",
       "callbacks left on disk because their queue was full", number(m.callbacks_deferred)},
      {"backbeat_callbacks_redelivered_total", "counter",
       "workflows woken to offer deferred callbacks again", number(m.callbacks_redelivered)},
      {"backbeat_notifications_sent_total", "counter", "notifications delivered",
       number(m.notifications_sent)},
      {"backbeat_notifications_failed_total", "counter", "notification attempts that failed",
       number(m.notifications_failed)},
      {"backbeat_activities_started_total", "counter", "in-engine activity runs started",
       number(m.activities_started)},
      {"backbeat_activities_completed_total", "counter", "in-engine activity runs completed",
       number(m.activities_completed)},
      {"backbeat_activities_errored_total", "counter",
       "in-engine activity runs that ended in an error, crashes included",
       number(m.activities_errored)},
      {"backbeat_activities_crashed_total", "counter",
       "in-engine activity actors that threw or stopped without answering",
       number(m.activities_crashed)},
      {"backbeat_activities_timed_out_total", "counter",
       "in-engine activity runs stopped at their node's complete_by",
       number(m.activities_timed_out)},
      {"backbeat_activities_running", "gauge", "in-engine activity runs going on now",
       number(m.activities_running)},
      {"backbeat_retention_sweeps_total", "counter", "retention sweep steps run",
       number(m.retention_sweeps)},
      {"backbeat_retention_purged_total", "counter", "complete workflows deleted by retention",
       number(m.retention_purged)},
      {"backbeat_retention_archived_total", "counter", "deleted workflows written to the archive",
       number(m.retention_archived)},
      {"backbeat_retention_kept_total", "counter", "retention candidates looked at and kept",
       number(m.retention_kept)},
      {"backbeat_retention_failed_total", "counter", "retention purges that failed",
       number(m.retention_failed)},
      {"backbeat_retention_last_sweep_seconds", "gauge",
       "duration of the last retention sweep step",
       std::to_string(double(m.retention_last_sweep_ms) / 1e3)},
      {"backbeat_commit_groups_total", "counter", "synced writes (one fsync each)",
       number(int64_t(commits.groups))},
      {"backbeat_commit_batches_total", "counter", "batches made durable",
       number(int64_t(commits.batches))},
      {"backbeat_commit_max_group", "gauge", "most batches one fsync covered",
       number(int64_t(commits.max_group))},
      {"backbeat_commit_keys_total", "counter", "keys put or deleted by durable batches",
       number(int64_t(commits.ops))},
      {"backbeat_commit_bytes_total", "counter", "key and value bytes of durable batches",
       number(int64_t(commits.bytes))},
  };
  for (const Series& s : series)
    out += std::string("# HELP ") + s.name + " " + s.help + "\n# TYPE " + s.name + " " + s.type +
           "\n" + s.name + " " + s.value + "\n";
  return out;
}

}  // namespace backbeat::actors
