#include "tests/bench/options.hpp"

#include <charconv>
#include <cstdlib>
#include <functional>
#include <string_view>

namespace backbeat::bench {
namespace {

Error usage_error(std::string message) {
  return make_error(Error::Kind::usage, std::move(message));
}

template <class T>
bool parse_number(std::string_view text, T& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

// One table row per flag: a flag taking a value stores it through `set`,
// which says whether the value was acceptable.
struct Flag {
  std::string_view name;
  bool takes_value;
  std::function<bool(Options&, std::string_view)> set;
};

template <class T>
std::function<bool(Options&, std::string_view)> number(T Options::*field, T min) {
  return [field, min](Options& o, std::string_view v) {
    T n{};
    if (!parse_number(v, n) || n < min) return false;
    o.*field = n;
    return true;
  };
}

std::function<bool(Options&, std::string_view)> text(std::string Options::*field) {
  return [field](Options& o, std::string_view v) {
    if (v.empty()) return false;
    o.*field = std::string(v);
    return true;
  };
}

std::function<bool(Options&, std::string_view)> enable(bool Options::*field, bool value = true) {
  return [field, value](Options& o, std::string_view) {
    o.*field = value;
    return true;
  };
}

const std::vector<Flag>& flags() {
  static const std::vector<Flag> table = {
      {"--scenario", true,
       [](Options& o, std::string_view v) {
         auto s = parse_scenarios(v);
         if (s) o.scenarios = std::move(*s);
         o.scenarios_given = s.has_value();
         return s.has_value();
       }},
      {"--binary", true, text(&Options::binary)},
      {"--server-config", true, text(&Options::server_config)},
      {"--url", true, text(&Options::url)},
      {"--admin-token", true, text(&Options::admin_token)},
      {"--server-pid", true,
       [](Options& o, std::string_view v) {
         int pid = 0;
         if (!parse_number(v, pid) || pid <= 0) return false;
         o.server_pid = pid;
         return true;
       }},
      {"--cluster", true, number(&Options::cluster_members, 1)},
      {"--gateways", true,
       [](Options& o, std::string_view v) {
         o.all_gateways = v == "all";
         return v == "one" || v == "all";
       }},
      {"--cluster-links", true,
       [](Options& o, std::string_view v) {
         o.plaintext_links = v == "plaintext";
         return v == "tls" || v == "plaintext";
       }},
      {"--concurrency", true, number(&Options::concurrency, 1)},
      {"--duration", true, number(&Options::duration_s, 0.1)},
      {"--warmup", true, number(&Options::warmup_s, 0.0)},
      {"--workflows", true, number<uint64_t>(&Options::workflows, 1)},
      {"--rate", true, number(&Options::rate, 0.0)},
      {"--half-peak", false, enable(&Options::half_peak)},
      {"--flow-timeout", true, number(&Options::flow_timeout_s, 0.1)},
      {"--drain", true, number(&Options::drain_s, 0.0)},
      {"--report-inside-callback", false, enable(&Options::report_inside_callback)},
      {"--no-processing", false, enable(&Options::report_processing, false)},
      {"--connections", true, number(&Options::connections, 1L)},
      {"--client-io-threads", true, number(&Options::client_io_threads, 1)},
      {"--json", false, enable(&Options::json)},
      {"--json-file", true,
       [](Options& o, std::string_view v) {
         o.json = true;
         o.json_path = std::string(v);
         return !v.empty();
       }},
      {"--quiet", false, enable(&Options::quiet)},
      {"--smoke", false, enable(&Options::smoke)},
  };
  return table;
}

// A few seconds in all, on a loaded CI machine with 2 cores: every
// scenario runs long enough to complete workflows, none long enough to
// matter. The thresholds of the real benchmark do not apply.
void apply_smoke(Options& o) {
  if (!o.scenarios_given) o.scenarios = all_scenarios();
  o.concurrency = 8;
  o.duration_s = 1;
  o.warmup_s = 0.2;
  o.workflows = 0;
  o.rate = 0;
  o.half_peak = false;
  o.drain_s = 5;
}

}  // namespace

Result<Options> parse_options(int argc, char** argv, bool& help) {
  Options o;
  o.scenarios = all_scenarios();
  help = false;
  std::vector<std::string_view> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      help = true;
      return o;
    }
    std::string_view value;
    bool inline_value = false;
    if (const size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      inline_value = true;
    }
    const Flag* flag = nullptr;
    for (const auto& f : flags())
      if (f.name == arg) flag = &f;
    if (!flag) return usage_error("unknown argument " + std::string(arg));
    if (flag->takes_value && !inline_value) {
      if (i + 1 >= args.size()) return usage_error(std::string(arg) + " needs a value");
      value = args[++i];
    } else if (!flag->takes_value && inline_value) {
      return usage_error(std::string(arg) + " takes no value");
    }
    if (!flag->set(o, value))
      return usage_error("bad value for " + std::string(arg) + ": '" + std::string(value) + "'");
  }
  if (o.smoke) apply_smoke(o);
  if (o.half_peak && o.rate > 0) return usage_error("--half-peak measures the peak itself; drop --rate");
  if (!o.url.empty() && o.admin_token.empty())
    return usage_error("--url needs --admin-token (the server's BACKBEAT_ADMIN_TOKEN)");
  if (!o.url.empty() && o.cluster_members > 0)
    return usage_error("--cluster spawns its members; it cannot be used with --url");
  if (o.all_gateways && o.cluster_members == 0)
    return usage_error("--gateways all needs --cluster N");
  if (o.plaintext_links && o.cluster_members == 0)
    return usage_error("--cluster-links needs --cluster N");
  if (o.url.empty() && o.server_pid)
    return usage_error("--server-pid only makes sense with --url");
  if (o.url.empty() && o.binary.empty()) {
    if (const char* b = std::getenv("BACKBEAT_BINARY")) o.binary = b;
    if (o.binary.empty()) return usage_error("give --binary, set BACKBEAT_BINARY, or use --url");
  }
  return o;
}

std::string usage() {
  return R"(usage: backbeat-bench [options]

Drives a Backbeat server with an embedded fake client and reports throughput,
latency percentiles and server cost per scenario (docs/benchmarks.md).

Server under test (one of):
  --binary PATH            spawn `PATH serve --http-port 0 --data-dir <temp>`
                           (default: $BACKBEAT_BINARY)
  --server-config FILE     pass --config FILE to the spawned server
  --url URL --admin-token T [--server-pid P]
                           use a running server (P: its pid, for CPU/memory)
  --cluster N              spawn N members n1..nN on loopback instead (one
                           admin token, all as seeds), wait until they form
                           one cluster; CPU, RSS and metrics are their sums
  --gateways one|all       with --cluster: every call through member 1 (one,
                           the default), or each workflow's calls through
                           member (workflow number mod N) (all)
  --cluster-links tls|plaintext
                           with --cluster: members link over mutual TLS with
                           certificates made by `backbeat cluster certs` (tls,
                           the default), or in clear (cluster.allow_plaintext)
Scenarios:
  --scenario a|b|c|d|all   or a list such as a,c (default all)
      a  signal -> decision -> 3 blocking activities
      b  signal -> decision -> 1 activity
      c  signal -> decision -> 20 non_blocking activities (fan-out)
      d  3 blocking activities, each errored twice before completing
Load:
  --concurrency N          workflows in flight (cap with --rate) [64]
  --duration S             measured seconds per scenario [10]
  --warmup S               unmeasured seconds before each window [2]
  --workflows N            measure N workflows instead of a duration
  --rate R                 open loop: start R workflows a second
  --half-peak              after each closed-loop run, run the scenario again
                           open loop at half the workflows/s it reached (the
                           issue's latency target is set at that rate)
  --flow-timeout S         a workflow slower than this is a timeout [30]
  --drain S                wait for in-flight workflows after the window [10]
Fake client:
  --report-inside-callback report first, answer the callback POST last
                           (default: answer 200 at once, report afterwards)
  --no-processing          skip PUT .../status/processing on decisions
  --connections N          keep-alive connections to the server [64]
  --client-io-threads N    threads of the callback endpoint [1]
Output:
  --json                   JSON on stdout (the table goes to stderr)
  --json-file PATH         JSON to PATH (the table stays on stdout)
  --quiet                  no progress lines on stderr
  --smoke                  every scenario (or those of --scenario) for ~1 s at
                           concurrency 8; exits 1 only if a scenario
                           completes nothing or gets errors
)";
}

}  // namespace backbeat::bench
