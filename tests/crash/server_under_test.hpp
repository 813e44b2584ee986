#pragma once
// The real backbeat binary on one data dir across many incarnations. Each
// start binds port 0, so the port changes with every restart; clients on
// other threads read the current one here and wait here for the next
// incarnation when a call finds the server gone.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::crash {

struct Incarnation {
  uint16_t port = 0;        // 0: down
  uint64_t generation = 0;  // 1 for the first start, +1 per restart
};

class ServerUnderTest {
 public:
  static constexpr const char* kAdminToken = "crash-test-admin-token";

  // `config`: `key = value` lines for a config file every start uses;
  // empty: the built-in defaults.
  explicit ServerUnderTest(std::string config = "");
  ~ServerUnderTest();

  // A new incarnation on the same data dir; false if it does not come up.
  bool start();
  // SIGKILL to the whole process group, reaped; the port is gone at once.
  void kill();
  // SIGTERM, leaving the node to stop on its own (it still answers 503s).
  void terminate();
  // After terminate(): the exit code once the process has ended, nullopt if
  // it is still running after `bound` (then it is killed).
  std::optional<int> wait_exit(std::chrono::milliseconds bound);
  // Waits for a line of the current incarnation's output; empty on timeout.
  std::vector<std::string> wait_for_line(const std::string& regex, std::chrono::milliseconds timeout);

  Incarnation current() const;
  // Blocks until an incarnation other than `generation` is up, or `timeout`.
  Incarnation wait_for_other(uint64_t generation, std::chrono::milliseconds timeout) const;

  // The last bytes every incarnation printed, oldest first: what a failed
  // check shows.
  std::string log_tail(size_t bytes_per_incarnation = 1500) const;

 private:
  void set_down();

  test::TempDir dir_;
  std::string config_path_;
  std::unique_ptr<test::ServerProcess> proc_;
  std::vector<std::string> earlier_logs_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  Incarnation now_;
  uint64_t starts_ = 0;
};

}  // namespace backbeat::crash
