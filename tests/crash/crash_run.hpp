#pragma once
// One crash-test run: a server on its own data dir, a registered client
// service, the steady load, and at the end the settle-and-check step. The
// test cases add what happens to the server in between (kills, a SIGTERM).
#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include "tests/crash/checks.hpp"
#include "tests/crash/crash_client.hpp"
#include "tests/crash/ledger.hpp"
#include "tests/crash/load_driver.hpp"
#include "tests/crash/resilient_api.hpp"
#include "tests/crash/server_under_test.hpp"

namespace backbeat::crash {

// BACKBEAT_CRASH_SEED if set (to replay a failure), else a fresh one.
uint64_t run_seed();
// An integer from the environment, or `fallback`.
int env_int(const char* name, int fallback);

// Prints the figures as one line (the one docs/durability.md quotes), then
// the first problems, and records a test failure for each kind of loss.
void report_and_check(const char* name, uint64_t seed, const Figures& f, double seconds);

class CrashRun {
 public:
  // `config`: extra server configuration (ServerUnderTest).
  CrashRun(uint64_t seed, int concurrency, std::string config = "");
  ~CrashRun();

  // Starts the server, registers the client and starts the load; fails the
  // test if any of it does not work.
  void begin();
  // SIGKILL now, a pause of up to `max_pause`, then a new incarnation on
  // the same data dir.
  void kill_and_restart(std::mt19937_64& rng, std::chrono::milliseconds max_pause);
  // Stops starting workflows, waits (at most `settle`) for all to complete,
  // reads the server and checks it against the ledger.
  Figures finish(std::chrono::seconds settle);

  ServerUnderTest& server() { return server_; }
  ResilientApi& api() { return api_; }
  Ledger& ledger() { return ledger_; }
  int kills() const { return kills_; }

 private:
  const uint64_t seed_;
  const int concurrency_;
  ServerUnderTest server_;
  Ledger ledger_;
  ResilientApi api_;
  std::unique_ptr<CrashClient> client_;
  std::unique_ptr<LoadDriver> load_;
  int kills_ = 0;
};

}  // namespace backbeat::crash
