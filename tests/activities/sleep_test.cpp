// The sleep built-in: completes client_data.seconds after the node was sent,
// so a re-run only sleeps what is left.
#include <boost/test/unit_test.hpp>

#include "actors/activity/builtins.hpp"
#include "tests/support/activity_harness.hpp"

namespace backbeat::test {
namespace {

using activity::Json;
using activity::SleepActivity;

constexpr Millis kHour = 3600 * 1000;

ActivityRun sleep_for(Json seconds, Millis sent_ago = 0) {
  activity::Job job = make_job({{"seconds", std::move(seconds)}});
  job.sent_at -= sent_ago;
  return run_activity<SleepActivity>(std::move(job));
}

Json slept_ms(const ActivityRun& run) { return completed_response(run)["slept_ms"]; }

}  // namespace

BOOST_AUTO_TEST_SUITE(sleep)

BOOST_AUTO_TEST_CASE(refuses_what_is_not_a_number_of_seconds) {
  const std::string refusal = "client_data.seconds must be a number of seconds, 0 to 604800";
  for (const Json& seconds : {Json(-1), Json(-0.001), Json(604801), Json(1e300), Json("1"),
                              Json(true), Json(nullptr), Json::array({1}), Json::object()}) {
    BOOST_TEST_CONTEXT("seconds " << seconds.dump()) {
      BOOST_TEST(error_message(sleep_for(seconds)) == refusal);
    }
  }
  BOOST_TEST(error_message(run_activity<SleepActivity>(make_job())) == refusal);
}

BOOST_AUTO_TEST_CASE(waits_the_seconds_it_was_given) {
  const auto start = std::chrono::steady_clock::now();
  const ActivityRun run = sleep_for(0.2);
  BOOST_TEST(slept_ms(run) == 200);
  // It did wait (a lower bound only: how much longer depends on the machine).
  const auto waited = std::chrono::steady_clock::now() - start;
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(waited).count() >= 150);
  BOOST_TEST(run.progress_reports == 0);
  BOOST_TEST(slept_ms(sleep_for(0)) == 0);
}

BOOST_AUTO_TEST_CASE(time_already_spent_is_not_slept_again) {
  BOOST_TEST(slept_ms(sleep_for(1, 10 * 1000)) == 1000);
  // An hour's sleep sent two hours ago: only subtracting lets it finish
  // inside the harness's five seconds.
  BOOST_TEST(slept_ms(sleep_for(3600, 2 * kHour)) == 3600 * 1000);
  BOOST_TEST(slept_ms(sleep_for(604800, 7 * 24 * kHour)) == Millis(604800) * 1000);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
