#include "actors/metrics.hpp"

namespace backbeat::actors {
namespace {

template <class Number>
void line(std::string& out, const char* name, const char* type, const char* help, Number value,
          const std::string& labels = "") {
  out += "# HELP ";
  out += name;
  out += " ";
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += " ";
  out += type;
  out += "\n";
  out += name + labels + " " + std::to_string(value) + "\n";
}

}  // namespace

std::string render_metrics(const Metrics& m, uint64_t commit_groups, uint64_t commit_batches,
                           uint64_t commit_max_group) {
  std::string out;
  out += "# HELP backbeat_http_responses_total HTTP responses by status class\n"
         "# TYPE backbeat_http_responses_total counter\n";
  for (size_t cls = 1; cls <= 5; ++cls)
    out += "backbeat_http_responses_total{class=\"" + std::to_string(cls) + "xx\"} " +
           std::to_string(m.http_responses[cls].load()) + "\n";
  line(out, "backbeat_commands_in_flight", "gauge", "API commands awaiting a workflow",
       int64_t(m.commands_in_flight));
  line(out, "backbeat_commands_shed_total", "counter", "commands refused with 503 (overload)",
       int64_t(m.commands_shed));
  line(out, "backbeat_events_applied_total", "counter", "engine events accepted",
       int64_t(m.events_applied));
  line(out, "backbeat_events_refused_total", "counter", "engine events refused",
       int64_t(m.events_refused));
  line(out, "backbeat_workflow_actors", "gauge", "live workflow actors",
       int64_t(m.workflow_actors));
  line(out, "backbeat_workflow_restarts_total", "counter", "crashed workflow actors restarted",
       int64_t(m.workflow_restarts));
  line(out, "backbeat_timers_armed", "gauge", "timers held in memory", int64_t(m.timers_armed));
  line(out, "backbeat_timers_fired_total", "counter", "timers fired", int64_t(m.timers_fired));
  line(out, "backbeat_callbacks_sent_total", "counter", "callbacks POSTed to clients",
       int64_t(m.callbacks_sent));
  line(out, "backbeat_callbacks_failed_total", "counter", "callbacks that failed",
       int64_t(m.callbacks_failed));
  line(out, "backbeat_callback_seconds_total", "counter", "time clients took to answer callbacks",
       double(m.callback_micros) / 1e6);
  line(out, "backbeat_callbacks_in_flight", "gauge", "callbacks awaiting an answer",
       int64_t(m.callbacks_in_flight));
  line(out, "backbeat_notifications_sent_total", "counter", "notifications delivered",
       int64_t(m.notifications_sent));
  line(out, "backbeat_notifications_failed_total", "counter", "notification attempts that failed",
       int64_t(m.notifications_failed));
  line(out, "backbeat_commit_groups_total", "counter", "synced writes (one fsync each)",
       int64_t(commit_groups));
  line(out, "backbeat_commit_batches_total", "counter", "batches made durable",
       int64_t(commit_batches));
  line(out, "backbeat_commit_max_group", "gauge", "most batches one fsync covered",
       int64_t(commit_max_group));
  return out;
}

}  // namespace backbeat::actors
