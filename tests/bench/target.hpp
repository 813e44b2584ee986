#pragma once
// The servers under test: the real binary spawned on temp data dirs (the
// usual case, so their CPU and memory can be read from /proc), one node or
// a cluster of members on loopback; or a server someone else runs.
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "engine/result.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::bench {

class Target {
 public:
  // `binary serve --http-port 0 --data-dir <temp>/data [--config FILE]`
  // with BACKBEAT_ADMIN_TOKEN set to a fresh token.
  static Result<std::unique_ptr<Target>> spawn(const std::string& binary,
                                               const std::string& config_file);
  // How cluster members link: mutual TLS with certificates `backbeat
  // cluster certs` makes in the temp dir, or in clear.
  enum class Links { tls, plaintext };
  // `members` nodes n1..nN the same way, all sharing that admin token, each
  // with its own data dir and cluster port and all of them as seeds
  // (docs/cluster.md). Returns once every member sees all N up with one
  // partition map.
  static Result<std::unique_ptr<Target>> spawn_cluster(const std::string& binary,
                                                       const std::string& config_file,
                                                       size_t members, Links links);
  static Result<std::unique_ptr<Target>> attach(const std::string& url, const std::string& admin_token,
                                                std::optional<pid_t> pid);
  ~Target();  // spawned servers are stopped (SIGTERM, then SIGKILL)

  const std::string& url() const { return urls_.front(); }  // member 1's, where setup goes
  const std::vector<std::string>& urls() const { return urls_; }  // every member's, n1 first
  const std::string& admin_token() const { return admin_token_; }
  const std::vector<pid_t>& pids() const { return pids_; }  // empty when unknown
  // How the servers were started, for the report ("durability" is always on).
  const std::vector<std::string>& settings() const { return settings_; }

  bool alive();  // every spawned member still runs
  // SIGTERM to every member and wait for clean exits: 0, or the first
  // member's code that is not (-signal when one was killed).
  int stop();
  // The last lines each spawned member printed; empty for an attached server.
  std::string log_tail(size_t max_bytes = 4000) const;

 private:
  Target() = default;
  Status start_member(const std::string& binary, std::vector<std::string> args,
                      const std::string& name);
  Status wait_cluster_formed(size_t members);

  std::vector<std::string> urls_;
  std::string admin_token_;
  std::vector<pid_t> pids_;
  std::vector<std::string> settings_;
  std::unique_ptr<test::TempDir> dir_;  // declared before procs_: outlives them
  std::vector<std::unique_ptr<test::ServerProcess>> procs_;
  bool stopped_ = false;
};

}  // namespace backbeat::bench
