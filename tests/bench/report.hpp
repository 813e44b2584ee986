#pragma once
// Renders a benchmark run for people (a block per scenario, then a summary
// table in Markdown that pastes into docs/benchmarks.md) and for machines
// (one JSON document with the same figures and the raw counters).
#include <string>
#include <utility>
#include <vector>

#include "tests/bench/machine.hpp"
#include "tests/bench/options.hpp"
#include "tests/bench/results.hpp"

namespace backbeat::bench {

struct RunInfo {
  MachineInfo machine;
  std::vector<std::string> server_settings;
  double load_before = -1;
  double load_after = -1;
  bool interrupted = false;  // Ctrl-C: the last scenario is partial
};

std::string render_text(const RunInfo& info, const Options& options,
                        const std::vector<ScenarioResult>& results);
std::string render_json(const RunInfo& info, const Options& options,
                        const std::vector<ScenarioResult>& results);

// The figures derived from a result's two snapshots; shared by both
// renderings so they cannot disagree.
struct ServerCost {
  double cpu_s = -1;           // server CPU in the window; -1 unknown
  double cpu_ms_per_step = -1;
  double cores_used = -1;
  double peak_rss_mb = -1;     // VmHWM: since the server started, earlier scenarios included
  double bench_cores_used = -1;
  double fsyncs_per_s = -1;    // commit groups: one fsync each
  double batches_per_fsync = -1;
  double keys_per_workflow = -1;   // RocksDB keys put or deleted per completed workflow
  double bytes_per_workflow = -1;  // ... and their key + value bytes
  double events_per_s = -1;
  double callbacks_per_s = -1;
  double callbacks_failed = -1;
  double callback_answer_ms = -1;  // mean callback round trip, as the server times it
  double commands_shed = -1;
  // The server's three busiest threads in the window: "name/tid", cores.
  std::vector<std::pair<std::string, double>> busiest_threads;
};
ServerCost server_cost(const ScenarioResult& r);

}  // namespace backbeat::bench
