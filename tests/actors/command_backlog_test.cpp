// The per-workflow command limit: one workflow's backlog never refuses
// another's, and every command given back frees its place.
#include <boost/test/unit_test.hpp>
#include <thread>
#include <vector>

#include "actors/command_backlog.hpp"

using backbeat::Uuid;
using backbeat::actors::CommandBacklog;

BOOST_AUTO_TEST_SUITE(command_backlog)

BOOST_AUTO_TEST_CASE(a_full_workflow_refuses_only_its_own_commands) {
  CommandBacklog backlog;
  const Uuid busy{1, 1};
  const Uuid calm{2, 2};
  BOOST_TEST(backlog.try_take(busy, 2));
  BOOST_TEST(backlog.try_take(busy, 2));
  BOOST_TEST(!backlog.try_take(busy, 2));
  BOOST_TEST(backlog.in_flight(busy) == 2u);
  BOOST_TEST(backlog.try_take(calm, 2));
  backlog.give_back(busy);
  BOOST_TEST(backlog.try_take(busy, 2));
  backlog.give_back(busy);
  backlog.give_back(busy);
  backlog.give_back(calm);
  BOOST_TEST(backlog.workflows() == 0u);  // nothing kept for idle workflows
}

BOOST_AUTO_TEST_CASE(limit_zero_refuses_everything_and_keeps_nothing) {
  CommandBacklog backlog;
  BOOST_TEST(!backlog.try_take(Uuid{3, 3}, 0));
  BOOST_TEST(backlog.workflows() == 0u);
  backlog.give_back(Uuid{3, 3});  // a stray give-back is harmless
  BOOST_TEST(backlog.in_flight(Uuid{3, 3}) == 0u);
}

BOOST_AUTO_TEST_CASE(threads_taking_and_giving_back_balance_out) {
  CommandBacklog backlog;
  std::vector<std::thread> threads;
  std::atomic<int> refused{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) {
        const Uuid wf{uint64_t(i % 7), uint64_t(t % 2)};
        if (backlog.try_take(wf, 3)) backlog.give_back(wf);
        else ++refused;
      }
    });
  for (auto& th : threads) th.join();
  BOOST_TEST(backlog.workflows() == 0u);
  BOOST_TEST(refused <= 80000);
}

BOOST_AUTO_TEST_SUITE_END()
