// The server is SIGKILLed at random moments under a steady load of mixed
// workflows and restarted on the same data dir each time; afterwards the
// load must complete and every acknowledged change must be on the server
// (docs/durability.md). BACKBEAT_CRASH_SEED replays a run's choices (shapes,
// kill times); BACKBEAT_CRASH_KILLS and BACKBEAT_CRASH_CONCURRENCY resize it.
#include <boost/test/unit_test.hpp>
#include <iostream>
#include <thread>

#include "tests/crash/crash_run.hpp"

using namespace backbeat::crash;

BOOST_AUTO_TEST_SUITE(crash)

BOOST_AUTO_TEST_CASE(sigkill_storm_loses_nothing_acknowledged) {
  const auto began = std::chrono::steady_clock::now();
  const uint64_t seed = run_seed();
  const int kills = env_int("BACKBEAT_CRASH_KILLS", 20);
  const int concurrency = env_int("BACKBEAT_CRASH_CONCURRENCY", 150);
  std::cout << "sigkill storm: seed " << seed << " (replay: BACKBEAT_CRASH_SEED=" << seed << "), "
            << kills << " kills, " << concurrency << " workflows in flight" << std::endl;

  // Idle workflow actors leave memory after a second instead of 30, so
  // workflows waiting on a timer or a retry are passivated and brought back
  // by it, crashes or not.
  CrashRun run(seed, concurrency, "[actors]\npassivate_after_s = 1\n");
  run.begin();
  std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ull + 1);
  // Mostly 1-3 s apart; one kill in five comes 0.1-0.6 s after a restart,
  // while the node is still recovering what the last one left in flight.
  std::bernoulli_distribution soon(0.2);
  std::uniform_int_distribution<int> gap_ms(1000, 3000), short_gap_ms(100, 600);
  for (int i = 0; i < kills; ++i) {
    const int gap = soon(rng) ? short_gap_ms(rng) : gap_ms(rng);
    std::this_thread::sleep_for(std::chrono::milliseconds(gap));
    run.kill_and_restart(rng, std::chrono::milliseconds(300));
  }
  const Figures f = run.finish(std::chrono::seconds(90));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  report_and_check("sigkill storm", seed, f, seconds);
  BOOST_TEST(f.kills == size_t(kills));
  // The run must have exercised what it claims to check.
  BOOST_TEST(f.duplicate_callbacks > 0u, "no callback was re-sent after a crash");
  BOOST_TEST(f.timers_across_kill > 0u, "no timer was set before a kill and fired after it");
  BOOST_TEST(f.retries_across_kill > 0u, "no retry was set before a kill and fired after it");
}

BOOST_AUTO_TEST_SUITE_END()
