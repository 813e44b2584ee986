#include "tests/bench/machine.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace backbeat::bench {
namespace {

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// "Name:   value" lines of /proc files such as cpuinfo and status.
std::optional<std::string> field(const std::string& path, const std::string& name) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon != std::string::npos && trim(line.substr(0, colon)) == name)
      return trim(line.substr(colon + 1));
  }
  return std::nullopt;
}

long kilobytes(const std::optional<std::string>& v) {
  return v ? std::atol(v->c_str()) : 0;  // "12345 kB"
}

// utime + stime of a /proc/.../stat file, in seconds.
std::optional<double> cpu_seconds(const std::string& stat_path) {
  std::ifstream stat(stat_path);
  std::string text;
  if (!std::getline(stat, text)) return std::nullopt;
  // The command name (field 2) is in parentheses and may hold spaces, so
  // count fields from the last ')'. utime and stime are fields 14 and 15.
  const auto paren = text.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream rest(text.substr(paren + 1));
  std::string skip;
  for (int i = 3; i <= 13; ++i) rest >> skip;
  unsigned long long utime = 0, stime = 0;
  if (!(rest >> utime >> stime)) return std::nullopt;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

MachineInfo machine_info() {
  MachineInfo m;
  m.cores = static_cast<int>(std::thread::hardware_concurrency());
  m.cpu_model = field("/proc/cpuinfo", "model name").value_or("unknown");
  utsname u{};
  if (uname(&u) == 0) m.kernel = std::string(u.sysname) + " " + u.release;
  return m;
}

double load_average_1m() {
  std::ifstream in("/proc/loadavg");
  double l = -1;
  if (!(in >> l)) return -1;
  return l;
}

std::optional<ProcessSample> sample_process(pid_t pid) {
  const std::string dir = "/proc/" + std::to_string(pid);
  auto cpu = cpu_seconds(dir + "/stat");
  if (!cpu) return std::nullopt;
  ProcessSample s;
  s.cpu_s = *cpu;
  s.peak_rss_kb = kilobytes(field(dir + "/status", "VmHWM"));
  s.rss_kb = kilobytes(field(dir + "/status", "VmRSS"));
  return s;
}

std::optional<ProcessSample> sample_processes(const std::vector<pid_t>& pids) {
  if (pids.empty()) return std::nullopt;
  ProcessSample sum;
  for (pid_t pid : pids) {
    auto s = sample_process(pid);
    if (!s) return std::nullopt;
    sum.cpu_s += s->cpu_s;
    sum.peak_rss_kb += s->peak_rss_kb;
    sum.rss_kb += s->rss_kb;
  }
  return sum;
}

std::vector<ThreadSample> sample_threads(const std::vector<pid_t>& pids) {
  std::vector<ThreadSample> out;
  for (pid_t pid : pids) {
    auto threads = sample_threads(pid);
    out.insert(out.end(), threads.begin(), threads.end());
  }
  return out;
}

std::vector<ThreadSample> sample_threads(pid_t pid) {
  std::vector<ThreadSample> out;
  std::error_code ec;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& entry : std::filesystem::directory_iterator(tasks, ec)) {
    const std::string tid = entry.path().filename().string();
    auto cpu = cpu_seconds(entry.path() / "stat");
    if (!cpu) continue;  // the thread ended meanwhile
    ThreadSample t;
    t.tid = static_cast<pid_t>(std::atol(tid.c_str()));
    std::ifstream comm(entry.path() / "comm");
    std::getline(comm, t.name);
    t.cpu_s = *cpu;
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace backbeat::bench
