#pragma once
// backbeat-bench's command line. Parsing returns errors as values so main
// can print usage and exit 2 like the server does.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/result.hpp"
#include "tests/bench/scenario.hpp"

namespace backbeat::bench {

struct Options {
  std::vector<Scenario> scenarios;
  bool scenarios_given = false;  // --scenario was set: --smoke keeps it

  // The server under test: spawned from `binary` (else $BACKBEAT_BINARY),
  // or an already running one at `url`.
  std::string binary;
  std::string server_config;  // passed as --config to a spawned server
  std::string url;            // "http://host:port"
  std::string admin_token;    // required with url
  std::optional<int> server_pid;  // with url: whose /proc to read
  // >0: spawn a cluster of this many members instead of one node
  // (docs/cluster.md). The user is registered on member 1 either way.
  int cluster_members = 0;
  bool all_gateways = false;  // each workflow's calls go to member (n mod N), not all to member 1
  bool plaintext_links = false;  // members link in clear, not over mutual TLS: what TLS costs

  // Load model.
  int concurrency = 64;        // workflows in flight (the cap when --rate is set)
  double duration_s = 10;      // measured window
  double warmup_s = 2;         // unmeasured lead-in, per scenario
  uint64_t workflows = 0;      // >0: measure this many workflows instead of a duration
  double rate = 0;             // >0: open loop, start this many workflows a second
  bool half_peak = false;      // after each closed-loop run, an open-loop one at half its rate
  double flow_timeout_s = 30;  // a workflow not done by then counts as a timeout
  double drain_s = 10;         // after the window, how long in-flight workflows may finish

  // The fake client.
  bool report_inside_callback = false;  // report first, answer the POST last
  bool report_processing = true;        // PUT processing before a decision's decisions
  long connections = 64;                // keep-alive connections to the server
  int client_io_threads = 1;

  // Output.
  bool json = false;
  std::string json_path;  // empty with json: JSON on stdout, the table on stderr
  bool quiet = false;     // no progress lines
  bool smoke = false;     // short run of every scenario; fails only if nothing works
};

// Sets `help` (and returns defaults) when --help was asked for.
Result<Options> parse_options(int argc, char** argv, bool& help);
std::string usage();

}  // namespace backbeat::bench
