#include <boost/test/unit_test.hpp>

#include "actors/activity/sum_amounts.hpp"
#include "tests/support/activity_harness.hpp"

using namespace backbeat::activity;
using backbeat::test::make_job;
using backbeat::test::run_activity;

BOOST_AUTO_TEST_SUITE(sum_amounts)

BOOST_AUTO_TEST_CASE(totals_whole_cents) {
  auto run = run_activity<SumAmounts>(make_job({{"amounts", {1250, 399, 1}}}));
  BOOST_REQUIRE(run.outcome);
  BOOST_TEST(run.outcome->completed);
  BOOST_TEST(run.outcome->response == (Json{{"total_cents", 1650}, {"count", 3}}));
}

BOOST_AUTO_TEST_CASE(refuses_fractions) {
  auto run = run_activity<SumAmounts>(make_job({{"amounts", {12.5}}}));
  BOOST_REQUIRE(run.outcome);
  BOOST_TEST(!run.outcome->completed);
  BOOST_TEST(run.outcome->response["error"]["message"] == "amounts are whole cents");
}

BOOST_AUTO_TEST_SUITE_END()
