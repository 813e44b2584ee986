#pragma once
// The real server binary as a child process, for tests that need restarts,
// crashes and the exact bytes a client sees.
#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace backbeat::test {

struct ServerProcessOptions {
  std::string binary;  // empty: $BACKBEAT_BINARY
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  // on top of ours
  std::filesystem::path log_dir;  // gets <name>.log (appended to); empty: $TMPDIR
  std::string name = "server";
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerProcessOptions options);
  // Kills the whole process group with SIGKILL and reaps it.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Spawns the binary in its own process group (so kill() reaches its
  // children too) and waits until it prints "listening on http://HOST:PORT"
  // (or https://).
  // False if it exits or stays silent until `timeout`; log() tells why.
  // Call once.
  bool start(std::chrono::milliseconds timeout = std::chrono::seconds(20));

  const std::string& host() const { return host_; }
  uint16_t port() const { return port_; }
  const std::string& scheme() const { return scheme_; }  // "http" or "https"
  std::string url(std::string_view path) const;  // "http://HOST:PORT/path" (or https)

  // Waits for a line of output matching `re` (searched from the first line
  // printed) and returns its groups, [0] being the whole match; empty when
  // the process ends its output or `timeout` passes first.
  std::vector<std::string> wait_for_line(const std::regex& re, std::chrono::milliseconds timeout =
                                                                   std::chrono::seconds(20));
  // True once every process sharing its output (children included) has
  // exited or closed it: the way to know a kill really took everything down.
  bool wait_output_closed(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  std::string log() const;  // stdout and stderr so far, interleaved
  std::filesystem::path log_path() const { return log_path_; }

  pid_t pid() const { return pid_; }
  void kill(int sig = SIGKILL);  // to the whole group
  bool running();
  // Reaps the process: its exit code, or minus the signal that ended it.
  int wait();

 private:
  bool spawn();
  void pump_output();  // the reader thread
  void record(std::string_view text);

  ServerProcessOptions options_;
  std::filesystem::path log_path_;
  bool started_ = false;
  pid_t pid_ = -1;
  bool reaped_ = false;
  int exit_ = 0;
  std::string scheme_;
  std::string host_;
  uint16_t port_ = 0;

  int output_fd_ = -1;   // read end of the child's stdout+stderr
  int wake_fds_[2] = {-1, -1};  // lets the destructor stop the reader
  int log_fd_ = -1;
  std::thread reader_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::string output_;
  bool output_ended_ = false;
};

}  // namespace backbeat::test
