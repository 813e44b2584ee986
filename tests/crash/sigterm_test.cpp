// SIGTERM under load: the node turns new commands away (503, or refuses the
// connection once it has stopped listening), answers and persists what it
// accepted, and exits 0 in bounded time; restarted on the same data dir it
// carries on where it stopped, and the load completes with nothing
// acknowledged lost.
#include <boost/test/unit_test.hpp>
#include <iostream>
#include <thread>

#include "tests/crash/crash_run.hpp"
#include "tests/crash/stop_prober.hpp"

using namespace backbeat::crash;

BOOST_AUTO_TEST_SUITE(crash)

BOOST_AUTO_TEST_CASE(sigterm_stops_cleanly_and_restart_resumes) {
  using Clock = std::chrono::steady_clock;
  const auto began = Clock::now();
  const uint64_t seed = run_seed();
  const int concurrency = env_int("BACKBEAT_CRASH_CONCURRENCY", 150);
  std::cout << "sigterm: seed " << seed << " (replay: BACKBEAT_CRASH_SEED=" << seed << "), "
            << concurrency << " workflows in flight" << std::endl;

  CrashRun run(seed, concurrency);
  run.begin();
  std::this_thread::sleep_for(std::chrono::seconds(3));

  // Extra commands around the stop, on top of the load's own calls.
  StopProber prober(run.api());
  prober.start(8);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  run.server().terminate();
  const auto term_sent = Clock::now();
  BOOST_REQUIRE_MESSAGE(!run.server().wait_for_line("SIGTERM, stopping", std::chrono::seconds(5)).empty(),
                        "no stop message:\n" + run.server().log_tail());
  const auto stop_began = Clock::now();
  const auto code = run.server().wait_exit(std::chrono::seconds(15));
  const double stop_s = std::chrono::duration<double>(Clock::now() - term_sent).count();
  prober.stop();
  BOOST_TEST(code.has_value(), "still running 15 s after SIGTERM");
  if (code) BOOST_TEST(*code == 0);
  BOOST_TEST(!run.server().wait_for_line("^stopped$", std::chrono::seconds(1)).empty());

  BOOST_REQUIRE_MESSAGE(run.server().start(), "no restart after SIGTERM:\n" + run.server().log_tail());
  const StopProbeFigures probes = prober.check(stop_began);
  std::cout << "sigterm: exit " << (code ? std::to_string(*code) : "none") << " after " << stop_s
            << " s; probes " << probes.probes << ": " << probes.accepted << " accepted, "
            << probes.turned_away << " answered 503, " << probes.refused << " refused, " << probes.cut
            << " cut after sending" << (probes.cut ? " (" + probes.cut_sample + ")" : "") << std::endl;
  for (const std::string& p : probes.problems) std::cout << "  problem: " << p << std::endl;
  BOOST_TEST(probes.problems.empty());

  std::this_thread::sleep_for(std::chrono::seconds(3));  // the load carries on
  const Figures f = run.finish(std::chrono::seconds(60));
  report_and_check("sigterm", seed, f, std::chrono::duration<double>(Clock::now() - began).count());
}

BOOST_AUTO_TEST_SUITE_END()
