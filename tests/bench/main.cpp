// backbeat-bench: load, latency and cost figures for a Backbeat server,
// measured through its real HTTP API with an embedded fake client
// (docs/benchmarks.md). Exit codes: 0 done, 1 the run failed (or, with
// --smoke, a scenario completed nothing or met errors), 2 bad usage.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <memory>

#include "tests/bench/api.hpp"
#include "tests/bench/fake_client.hpp"
#include "tests/bench/load_driver.hpp"
#include "tests/bench/machine.hpp"
#include "tests/bench/options.hpp"
#include "tests/bench/report.hpp"
#include "tests/bench/target.hpp"

using namespace backbeat;
using namespace backbeat::bench;

namespace {

// The spawned server sits in its own process group, so Ctrl-C does not
// reach it: the benchmark winds down on the signal and stops it itself.
volatile sig_atomic_t g_interrupted = 0;

void on_signal(int) { g_interrupted = 1; }

void catch_interrupts() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

Result<std::unique_ptr<Target>> open_target(const Options& o) {
  if (!o.url.empty()) return Target::attach(o.url, o.admin_token, o.server_pid);
  if (o.cluster_members > 0)
    return Target::spawn_cluster(o.binary, o.server_config, static_cast<size_t>(o.cluster_members),
                                 o.plaintext_links ? Target::Links::plaintext : Target::Links::tls);
  return Target::spawn(o.binary, o.server_config);
}

std::string gateway_setting(const Options& o) {
  return o.all_gateways
             ? "gateways: all members, each workflow's calls through member (workflow number mod " +
                   std::to_string(o.cluster_members) + "); the user registered on n1"
             : "gateways: one, every call and the user's registration through n1";
}

std::string pid_list(const std::vector<pid_t>& pids) {
  std::string out;
  for (pid_t p : pids) out += (out.empty() ? "" : ", ") + std::to_string(p);
  return out.empty() ? "unknown" : out;
}

// Smoke runs carry no thresholds; they fail only when the benchmark could
// not exercise the server at all, or the server answered with errors.
std::string smoke_failure(const std::vector<ScenarioResult>& results, size_t wanted) {
  if (results.size() < wanted) return "not every scenario ran";
  for (const auto& r : results) {
    const std::string name = std::string("scenario ") + r.scenario.letter;
    if (!r.server_alive) return name + ": the server died";
    if (r.workflows_completed == 0) return name + ": no workflow completed";
    for (const auto& e : r.errors)
      if (e.key != "timeout" && e.key.rfind("unfinished", 0) != 0)
        return name + ": " + e.key + " (" + e.sample + ")";
  }
  return "";
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out.flush());
}

int run(int argc, char** argv) {
  bool help = false;
  auto parsed = parse_options(argc, argv, help);
  if (help) {
    std::fputs(usage().c_str(), stdout);
    return 0;
  }
  if (!parsed) {
    std::fprintf(stderr, "backbeat-bench: %s\n(--help lists the options)\n", parsed.error().message.c_str());
    return 2;
  }
  const Options& options = *parsed;
  catch_interrupts();

  RunInfo info;
  info.machine = machine_info();
  info.load_before = load_average_1m();

  auto target_or = open_target(options);
  if (!target_or) {
    std::fprintf(stderr, "backbeat-bench: %s\n", target_or.error().message.c_str());
    return 1;
  }
  Target& target = **target_or;
  info.server_settings = target.settings();
  if (options.cluster_members > 0) info.server_settings.push_back(gateway_setting(options));

  Api api(target.urls(), options.all_gateways ? target.urls().size() : 1, options.connections,
          std::chrono::milliseconds(static_cast<long>(options.flow_timeout_s * 1000)));
  auto probe = [&] {
    Snapshot s;
    s.at = std::chrono::steady_clock::now();
    s.server = sample_processes(target.pids());
    s.server_threads = sample_threads(target.pids());
    s.self = sample_process(getpid());
    s.metrics = api.metrics();
    s.load_1m = load_average_1m();
    return s;
  };
  auto keep_going = [&] { return !g_interrupted && target.alive(); };
  LoadDriver driver(api, options, probe, keep_going);
  FakeClient fake(!options.report_inside_callback, options.client_io_threads,
                  [&driver](Callback cb) { driver.on_callback(std::move(cb)); });

  auto callbacks = fake.start();
  if (!callbacks) {
    std::fprintf(stderr, "backbeat-bench: the fake client cannot listen: %s\n",
                 callbacks.error().message.c_str());
    return 1;
  }
  auto user = api.create_user(target.admin_token(),
                              "bench-" + std::to_string(getpid()) + "-" +
                                  std::to_string(std::chrono::system_clock::now().time_since_epoch().count()),
                              *callbacks);
  if (!user) {
    std::fprintf(stderr, "backbeat-bench: %s\n%s", user.error().message.c_str(), target.log_tail().c_str());
    return 1;
  }
  api.act_as(*user);
  if (auto known = api.wait_user_everywhere(std::chrono::seconds(10)); !known) {
    std::fprintf(stderr, "backbeat-bench: %s\n%s", known.error().message.c_str(), target.log_tail().c_str());
    return 1;
  }
  if (!options.quiet)
    std::fprintf(stderr, "backbeat-bench: server %s (pid %s), callbacks to %s\n", target.url().c_str(),
                 pid_list(target.pids()).c_str(), callbacks->c_str());

  std::vector<ScenarioResult> results;
  for (const auto& scenario : options.scenarios) {
    if (!keep_going()) break;
    if (!options.quiet)
      std::fprintf(stderr, "scenario %c (%s)\n", scenario.letter, scenario.name.c_str());
    results.push_back(driver.run(scenario, options.rate));
    results.back().server_alive = target.alive();
    const double peak = results.back().per_second(results.back().workflows_completed);
    if (options.half_peak && peak > 0 && keep_going()) {
      if (!options.quiet)
        std::fprintf(stderr, "scenario %c (%s) at half its peak: %.0f workflows/s\n", scenario.letter,
                     scenario.name.c_str(), peak / 2);
      results.push_back(driver.run(scenario, peak / 2));
      results.back().server_alive = target.alive();
    }
  }
  fake.stop();
  api.stop();
  info.load_after = load_average_1m();
  info.interrupted = g_interrupted;
  const bool server_died = !target.alive() && !g_interrupted;
  const int server_exit = target.stop();

  const std::string text = render_text(info, options, results);
  if (options.json && options.json_path.empty()) {
    std::fputs(text.c_str(), stderr);
    std::fputs(render_json(info, options, results).c_str(), stdout);
  } else {
    std::fputs(text.c_str(), stdout);
    if (options.json && !write_file(options.json_path, render_json(info, options, results)))
      std::fprintf(stderr, "backbeat-bench: cannot write %s\n", options.json_path.c_str());
  }

  if (server_died || (server_exit != 0 && !g_interrupted)) {
    std::fprintf(stderr, "backbeat-bench: the server %s (exit %d); its last output:\n%s\n",
                 server_died ? "died during the run" : "did not stop cleanly", server_exit,
                 target.log_tail().c_str());
    return 1;
  }
  if (g_interrupted) return 1;
  if (options.smoke) {
    const std::string why = smoke_failure(results, options.scenarios.size());
    if (!why.empty()) {
      std::fprintf(stderr, "backbeat-bench --smoke FAILED: %s\n", why.c_str());
      return 1;
    }
    std::fprintf(stderr, "backbeat-bench --smoke passed\n");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "backbeat-bench: unexpected failure: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "backbeat-bench: unexpected failure\n");
  }
  return 1;
}
