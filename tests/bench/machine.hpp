#pragma once
// What the benchmark knows about the machine and the server process, read
// from /proc. Figures measured on a shared 2-core VM mean little without the
// load average and the CPU they ran on, so every report carries them.
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace backbeat::bench {

struct MachineInfo {
  int cores = 0;
  std::string cpu_model;
  std::string kernel;
};

MachineInfo machine_info();

// The 1-minute load average, or -1 if /proc/loadavg cannot be read.
double load_average_1m();

struct ProcessSample {
  double cpu_s = 0;      // utime + stime of every thread
  long peak_rss_kb = 0;  // VmHWM: the high-water mark since the process began
  long rss_kb = 0;       // VmRSS now
};

// nullopt when the process is gone or /proc is unreadable.
std::optional<ProcessSample> sample_process(pid_t pid);
// The sum over several processes (a cluster's members, their peaks added
// up); nullopt when there are none or one is gone.
std::optional<ProcessSample> sample_processes(const std::vector<pid_t>& pids);

// Per-thread CPU tells a single-thread bottleneck (one thread near a full
// core while the process has cores to spare) from a plain lack of CPU.
struct ThreadSample {
  pid_t tid = 0;
  std::string name;  // comm, as set by the thread (or inherited)
  double cpu_s = 0;
};
std::vector<ThreadSample> sample_threads(pid_t pid);
std::vector<ThreadSample> sample_threads(const std::vector<pid_t>& pids);  // all of them

}  // namespace backbeat::bench
