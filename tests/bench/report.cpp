#include "tests/bench/report.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "net/contract/json_text.hpp"

namespace backbeat::bench {
namespace {

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* fmt, ...) {
  char buf[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  return buf;
}

double ms(uint64_t us) { return static_cast<double>(us) / 1000.0; }

// A counter's growth over the window; -1 when the server did not expose it.
double grew(const ScenarioResult& r, const std::string& name) {
  auto a = r.start.metrics.find(name);
  auto b = r.end.metrics.find(name);
  if (a == r.start.metrics.end() || b == r.end.metrics.end()) return -1;
  return b->second - a->second;
}

std::string known(double v, const char* fmt) { return v < 0 ? std::string("n/a") : format(fmt, v); }

std::string load_model(const Options& o) {
  std::string m = o.rate > 0 ? format("open loop at %.0f workflows/s (at most %d in flight)", o.rate,
                                      o.concurrency)
                             : format("closed loop, %d workflows in flight", o.concurrency);
  m += o.workflows > 0 ? format(", %llu measured workflows",
                                static_cast<unsigned long long>(o.workflows))
                       : format(", %.1f s window", o.duration_s);
  m += format(" after %.1f s warm-up", o.warmup_s);
  if (o.half_peak) m += "; each scenario then again, open loop at half its peak workflows/s";
  return m;
}

std::string client_model(const Options& o) {
  return std::string(o.report_inside_callback ? "reports inside the callback, answers last"
                                              : "answers each callback at once, reports after") +
         (o.report_processing ? "; decisions: processing, decisions, completed"
                              : "; decisions: decisions, completed") +
         format("; %ld keep-alive connections", o.connections);
}

const std::pair<const char*, LatencySummary ScenarioResult::*> kLatencies[] = {
    {"signal -> decision callback", &ScenarioResult::signal_to_decision},
    {"signal -> activity callback", &ScenarioResult::signal_to_activity},
    {"report -> next callback", &ScenarioResult::turnaround},
    {"signal -> workflow complete", &ScenarioResult::signal_to_complete},
    {"any API call (round trip)", &ScenarioResult::api_call},
};

std::string problems(const ScenarioResult& r) {
  std::string p;
  for (const auto& e : r.errors)
    p += format("    %-34s %8llu   e.g. %s\n", e.key.c_str(), static_cast<unsigned long long>(e.count),
                e.sample.c_str());
  if (r.stray_callbacks) p += format("    stray callbacks (given-up workflows) %llu\n",
                                     static_cast<unsigned long long>(r.stray_callbacks));
  if (!r.server_alive) p += "    THE SERVER DIED\n";
  return p.empty() ? "  problems: none\n" : "  problems:\n" + p;
}

// Closed-loop runs are the peak figures; open-loop ones say their rate.
std::string rate_label(const ScenarioResult& r) {
  return r.target_rate > 0 ? format(" @ %.0f/s", r.target_rate) : std::string();
}

std::string scenario_block(const ScenarioResult& r) {
  const ServerCost c = server_cost(r);
  std::string s = format("Scenario %c (%s)%s: %s\n", r.scenario.letter, r.scenario.name.c_str(),
                         rate_label(r).c_str(), r.scenario.description.c_str());
  s += format("  window %.2f s; started %llu, completed %llu workflows\n", r.window_s,
              static_cast<unsigned long long>(r.workflows_started),
              static_cast<unsigned long long>(r.workflows_completed));
  s += format("  workflows/s       %10.1f\n", r.per_second(r.workflows_completed));
  s += format("  activity steps/s  %10.1f   (deliveries answered 200%s; completed activities/s %.1f)\n",
              r.per_second(r.steps), r.scenario.errors_before_success ? ", retries included" : "",
              r.per_second(r.activities_completed));
  if (r.target_rate > 0)
    s += format("  start rate        %10.1f   (target %.1f; %llu starts waited for a slot)\n",
                r.per_second(r.workflows_started), r.target_rate,
                static_cast<unsigned long long>(r.delayed_starts));
  s += "  latency (ms)                      p50       p95       p99       max     count\n";
  for (const auto& [label, field] : kLatencies) {
    const LatencySummary& l = r.*field;
    s += format("    %-28s %9.2f %9.2f %9.2f %9.2f %9llu\n", label, ms(l.p50_us), ms(l.p95_us),
                ms(l.p99_us), ms(l.max_us), static_cast<unsigned long long>(l.count));
  }
  s += "  server: CPU " + known(c.cores_used, "%.2f") + " cores, " +
       known(c.cpu_ms_per_step, "%.3f") + " CPU ms/step, peak RSS " + known(c.peak_rss_mb, "%.1f") +
       " MB (since it started); fsyncs/s " + known(c.fsyncs_per_s, "%.0f") + " (" + known(c.batches_per_fsync, "%.1f") +
       " batches each; " + known(c.keys_per_workflow, "%.0f") + " keys, " +
       known(c.bytes_per_workflow / 1024.0, "%.1f") + " KiB per workflow), events/s " +
       known(c.events_per_s, "%.0f") + ", callbacks/s " +
       known(c.callbacks_per_s, "%.0f") + " (mean round trip " + known(c.callback_answer_ms, "%.2f") +
       " ms as the server sees it, its own queueing included)\n";
  if (!c.busiest_threads.empty()) {
    s += "  busiest server threads (cores):";
    for (const auto& [name, cores] : c.busiest_threads) s += format(" %s %.2f", name.c_str(), cores);
    s += "\n";
  }
  s += "  bench:  CPU " + known(c.bench_cores_used, "%.2f") + " cores; API calls/s " +
       format("%.0f", r.per_second(r.api_calls)) + "; load average " + known(r.start.load_1m, "%.2f") +
       " -> " + known(r.end.load_1m, "%.2f") + "\n";
  return s + problems(r) + "\n";
}

std::string summary_table(const std::vector<ScenarioResult>& results) {
  std::string s =
      "| scenario | workflows/s | activity steps/s | signal->decision p50 / p99 ms | "
      "signal->complete p50 / p99 ms | server CPU ms/step | server peak RSS MB | failed |\n"
      "|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : results) {
    const ServerCost c = server_cost(r);
    s += format("| %c %s%s | %.0f | %.0f | %.2f / %.2f | %.2f / %.2f | %s | %s | %llu |\n",
                r.scenario.letter, r.scenario.name.c_str(), rate_label(r).c_str(),
                r.per_second(r.workflows_completed),
                r.per_second(r.steps), ms(r.signal_to_decision.p50_us), ms(r.signal_to_decision.p99_us),
                ms(r.signal_to_complete.p50_us), ms(r.signal_to_complete.p99_us),
                known(c.cpu_ms_per_step, "%.3f").c_str(), known(c.peak_rss_mb, "%.1f").c_str(),
                static_cast<unsigned long long>(r.failed_workflows));
  }
  return s;
}

nlohmann::ordered_json latency_json(const LatencySummary& l) {
  return {{"count", l.count}, {"mean_ms", l.mean_us / 1000.0}, {"p50_ms", ms(l.p50_us)},
          {"p95_ms", ms(l.p95_us)}, {"p99_ms", ms(l.p99_us)}, {"max_ms", ms(l.max_us)}};
}

nlohmann::ordered_json nullable(double v) { return v < 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(v); }

nlohmann::ordered_json scenario_json(const ScenarioResult& r) {
  const ServerCost c = server_cost(r);
  nlohmann::ordered_json j;
  j["scenario"] = std::string(1, r.scenario.letter);
  j["name"] = r.scenario.name;
  j["description"] = r.scenario.description;
  j["window_s"] = r.window_s;
  j["target_rate"] = r.target_rate;
  j["workflows_per_s"] = r.per_second(r.workflows_completed);
  j["activity_steps_per_s"] = r.per_second(r.steps);
  j["activity_steps_include_retries"] = r.scenario.errors_before_success > 0;
  j["completed_activities_per_s"] = r.per_second(r.activities_completed);
  j["counts"] = {{"workflows_started", r.workflows_started},
                 {"workflows_completed", r.workflows_completed},
                 {"decisions", r.decisions},
                 {"activity_deliveries", r.deliveries},
                 {"activity_steps", r.steps},
                 {"activities_completed", r.activities_completed},
                 {"api_calls", r.api_calls},
                 {"delayed_starts", r.delayed_starts}};
  nlohmann::ordered_json lat;
  lat["signal_to_decision"] = latency_json(r.signal_to_decision);
  lat["signal_to_activity"] = latency_json(r.signal_to_activity);
  lat["report_to_next_callback"] = latency_json(r.turnaround);
  lat["signal_to_complete"] = latency_json(r.signal_to_complete);
  lat["api_call"] = latency_json(r.api_call);
  j["latency"] = std::move(lat);
  j["server"] = {{"cpu_s", nullable(c.cpu_s)},
                 {"cpu_ms_per_step", nullable(c.cpu_ms_per_step)},
                 {"cores_used", nullable(c.cores_used)},
                 {"peak_rss_mb", nullable(c.peak_rss_mb)},
                 {"fsyncs_per_s", nullable(c.fsyncs_per_s)},
                 {"batches_per_fsync", nullable(c.batches_per_fsync)},
                 {"keys_per_workflow", nullable(c.keys_per_workflow)},
                 {"bytes_per_workflow", nullable(c.bytes_per_workflow)},
                 {"events_per_s", nullable(c.events_per_s)},
                 {"callbacks_per_s", nullable(c.callbacks_per_s)},
                 {"callbacks_failed", nullable(c.callbacks_failed)},
                 {"callback_answer_ms", nullable(c.callback_answer_ms)},
                 {"commands_shed", nullable(c.commands_shed)},
                 {"alive", r.server_alive}};
  nlohmann::ordered_json threads = nlohmann::ordered_json::array();
  for (const auto& [name, cores] : c.busiest_threads) threads.push_back({{"thread", name}, {"cores", cores}});
  j["server"]["busiest_threads"] = std::move(threads);
  j["bench_cores_used"] = nullable(c.bench_cores_used);
  j["load_1m"] = {{"start", r.start.load_1m}, {"end", r.end.load_1m}};
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  for (const auto& e : r.errors) errors.push_back({{"key", e.key}, {"count", e.count}, {"sample", e.sample}});
  j["problems"] = {{"failed_workflows", r.failed_workflows}, {"timeouts", r.timeouts},
                   {"unfinished", r.unfinished}, {"stray_callbacks", r.stray_callbacks},
                   {"notifications", r.notifications}, {"errors", std::move(errors)}};
  return j;
}

}  // namespace

ServerCost server_cost(const ScenarioResult& r) {
  ServerCost c;
  const double w = r.window_s > 0 ? r.window_s : 1;
  if (r.start.server && r.end.server) {
    c.cpu_s = r.end.server->cpu_s - r.start.server->cpu_s;
    c.cores_used = c.cpu_s / w;
    if (r.steps > 0) c.cpu_ms_per_step = 1000.0 * c.cpu_s / static_cast<double>(r.steps);
    c.peak_rss_mb = static_cast<double>(r.end.server->peak_rss_kb) / 1024.0;
  }
  if (r.start.self && r.end.self) c.bench_cores_used = (r.end.self->cpu_s - r.start.self->cpu_s) / w;
  const double groups = grew(r, "backbeat_commit_groups_total");
  const double batches = grew(r, "backbeat_commit_batches_total");
  if (groups >= 0) c.fsyncs_per_s = groups / w;
  if (groups > 0 && batches >= 0) c.batches_per_fsync = batches / groups;
  const double keys = grew(r, "backbeat_commit_keys_total");
  const double bytes = grew(r, "backbeat_commit_bytes_total");
  if (r.workflows_completed > 0 && keys >= 0)
    c.keys_per_workflow = keys / static_cast<double>(r.workflows_completed);
  if (r.workflows_completed > 0 && bytes >= 0)
    c.bytes_per_workflow = bytes / static_cast<double>(r.workflows_completed);
  if (double e = grew(r, "backbeat_events_applied_total"); e >= 0) c.events_per_s = e / w;
  const double callbacks = grew(r, "backbeat_callbacks_sent_total");
  const double callback_s = grew(r, "backbeat_callback_seconds_total");
  if (callbacks >= 0) c.callbacks_per_s = callbacks / w;
  if (callbacks > 0 && callback_s >= 0) c.callback_answer_ms = 1000.0 * callback_s / callbacks;
  for (const auto& t : r.end.server_threads) {
    auto before = std::find_if(r.start.server_threads.begin(), r.start.server_threads.end(),
                               [&](const ThreadSample& s) { return s.tid == t.tid; });
    const double used = t.cpu_s - (before == r.start.server_threads.end() ? 0 : before->cpu_s);
    c.busiest_threads.emplace_back(t.name + "/" + std::to_string(t.tid), used / w);
  }
  std::sort(c.busiest_threads.begin(), c.busiest_threads.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  if (c.busiest_threads.size() > 3) c.busiest_threads.resize(3);
  c.callbacks_failed = grew(r, "backbeat_callbacks_failed_total");
  c.commands_shed = grew(r, "backbeat_commands_shed_total");
  return c;
}

std::string render_text(const RunInfo& info, const Options& options,
                        const std::vector<ScenarioResult>& results) {
  std::string s = info.interrupted ? "backbeat-bench (INTERRUPTED: the last scenario is partial)\n"
                                   : "backbeat-bench\n";
  s += format("  machine: %d cores, %s, %s; load average %.2f at start, %.2f at end\n",
              info.machine.cores, info.machine.cpu_model.c_str(), info.machine.kernel.c_str(),
              info.load_before, info.load_after);
  for (const auto& line : info.server_settings) s += "  server: " + line + "\n";
  s += "  load: " + load_model(options) + "\n";
  s += "  client: " + client_model(options) + "\n";
  s += "  an activity step is one activity callback answered with a 200 report\n"
       "  (errored ones included); latencies start at the signal POST\n\n";
  for (const auto& r : results) s += scenario_block(r);
  return s + summary_table(results);
}

std::string render_json(const RunInfo& info, const Options& options,
                        const std::vector<ScenarioResult>& results) {
  nlohmann::ordered_json j;
  j["machine"] = {{"cores", info.machine.cores}, {"cpu_model", info.machine.cpu_model},
                  {"kernel", info.machine.kernel}, {"load_1m_before", info.load_before},
                  {"load_1m_after", info.load_after}};
  j["interrupted"] = info.interrupted;
  j["server_settings"] = info.server_settings;
  j["load_model"] = load_model(options);
  j["client_model"] = client_model(options);
  j["options"] = {{"concurrency", options.concurrency},  {"duration_s", options.duration_s},
                  {"warmup_s", options.warmup_s},        {"workflows", options.workflows},
                  {"rate", options.rate},                {"half_peak", options.half_peak},
                  {"flow_timeout_s", options.flow_timeout_s},
                  {"report_inside_callback", options.report_inside_callback},
                  {"report_processing", options.report_processing},
                  {"connections", options.connections}, {"smoke", options.smoke},
                  {"cluster_members", options.cluster_members},
                  {"gateways", options.all_gateways ? "all" : "one"}};
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& r : results) list.push_back(scenario_json(r));
  j["scenarios"] = std::move(list);
  return contract::dump_json(j) + "\n";
}

}  // namespace backbeat::bench
