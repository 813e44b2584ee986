#pragma once
// The server under test: the real binary spawned on a temp data dir (the
// usual case, so its CPU and memory can be read from /proc), or a server
// someone else runs.
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "runtime/engine/result.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::bench {

class Target {
 public:
  // `binary serve --http-port 0 --data-dir <temp>/data [--config FILE]`
  // with BACKBEAT_ADMIN_TOKEN set to a fresh token.
  static Result<std::unique_ptr<Target>> spawn(const std::string& binary,
                                               const std::string& config_file);
  static Result<std::unique_ptr<Target>> attach(const std::string& url, const std::string& admin_token,
                                                std::optional<pid_t> pid);
  ~Target();  // a spawned server is stopped (SIGTERM, then SIGKILL)

  const std::string& url() const { return url_; }
  const std::string& admin_token() const { return admin_token_; }
  std::optional<pid_t> pid() const { return pid_; }
  // How the server was started, for the report ("durability" is always on).
  const std::vector<std::string>& settings() const { return settings_; }

  bool alive();
  // SIGTERM and wait for a clean exit: the server's code, or -signal.
  int stop();
  // The last lines the spawned server printed; empty for an attached one.
  std::string log_tail(size_t max_bytes = 4000) const;

 private:
  Target() = default;

  std::string url_;
  std::string admin_token_;
  std::optional<pid_t> pid_;
  std::vector<std::string> settings_;
  std::unique_ptr<test::TempDir> dir_;                // declared before proc_: outlives it
  std::unique_ptr<test::ServerProcess> proc_;
  bool stopped_ = false;
};

}  // namespace backbeat::bench
