// Activities that misbehave, run through the harness: each failure is a
// report in the words the node would show, never a crash of the test. The
// test.* actors are the ones [activities] test_kit registers.
#include <boost/test/unit_test.hpp>

#include "actors/activity/test_kit.hpp"
#include "tests/support/activity_harness.hpp"

namespace backbeat::test {
namespace {

using namespace std::chrono_literals;
using activity::Json;

// The test kit's actors are reachable only through a catalog.
const activity::Definition& kit(std::string_view name) {
  static const activity::Catalog catalog = [] {
    activity::Catalog c;
    BOOST_TEST_REQUIRE(activity::register_test_kit(c).ok());
    return c;
  }();
  const activity::Definition* d = catalog.find(name);
  BOOST_TEST_REQUIRE(d != nullptr, name);
  return *d;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Reports progress twice, then completes: what the harness counts.
struct Chatty {
  static constexpr std::string_view name = "chatty";
  static caf::behavior make(caf::event_based_actor* self, const activity::Env&) {
    return {[self](activity::run_atom, const activity::Job& job) {
      activity::processing(self, job);
      activity::processing(self, job);
      return activity::completed();
    }};
  }
};

struct ThrowsAnInt {
  static constexpr std::string_view name = "throws_an_int";
  static caf::behavior make(caf::event_based_actor*, const activity::Env&) {
    return {[](activity::run_atom, const activity::Job&) -> activity::Outcome { throw 42; }};
  }
};

// Answers with a CAF error instead of an Outcome, and stays up.
struct AnswersAnError {
  static constexpr std::string_view name = "answers_an_error";
  static caf::behavior make(caf::event_based_actor*, const activity::Env&) {
    return {[](activity::run_atom, const activity::Job&) -> caf::result<activity::Outcome> {
      return caf::make_error(caf::sec::invalid_argument);
    }};
  }
};

// Traps the harness's request to stop and never answers: it is killed.
struct Stubborn {
  static constexpr std::string_view name = "stubborn";
  static caf::behavior make(caf::event_based_actor* self, const activity::Env&) {
    self->set_exit_handler([](caf::exit_msg&) {});
    return {[self](activity::run_atom, const activity::Job&) -> caf::result<activity::Outcome> {
      return self->make_response_promise();
    }};
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(test_kit)

BOOST_AUTO_TEST_CASE(a_throw_is_reported_with_the_exception_message) {
  activity::Job job = make_job();
  job.attempt = 3;
  const ActivityRun run = run_activity(kit("test.throw"), job);
  BOOST_TEST(!run.outcome.has_value());
  BOOST_TEST(run.failure == "threw: test.throw was asked to fail on attempt 3");
  BOOST_TEST(run_activity<ThrowsAnInt>(make_job()).failure == "threw a non-exception");
}

BOOST_AUTO_TEST_CASE(an_exit_is_reported_with_its_reason) {
  const ActivityRun run = run_activity(kit("test.exit"), make_job());
  BOOST_TEST(!run.outcome.has_value());
  BOOST_TEST(run.failure == "test.exit quit");
}

BOOST_AUTO_TEST_CASE(a_hang_is_reported_after_the_timeout) {
  const ActivityRun run = run_activity(kit("test.hang"), make_job(), test_env(), 200ms);
  BOOST_TEST(!run.outcome.has_value());
  BOOST_TEST(run.failure == "no answer within 200 ms");
  const ActivityRun stubborn = run_activity<Stubborn>(make_job(), test_env(), 200ms);
  BOOST_TEST(stubborn.failure == "no answer within 200 ms");
}

BOOST_AUTO_TEST_CASE(an_error_answer_is_reported_as_such) {
  const ActivityRun run = run_activity<AnswersAnError>(make_job());
  BOOST_TEST(!run.outcome.has_value());
  BOOST_TEST(contains(run.failure, "answered with an error: "), run.failure);
  BOOST_TEST(contains(run.failure, "invalid_argument"), run.failure);
}

BOOST_AUTO_TEST_CASE(progress_reports_are_counted) {
  const ActivityRun run = run_activity<Chatty>(make_job());
  BOOST_TEST_REQUIRE(run.outcome.has_value(), run.failure);
  BOOST_TEST(run.outcome->completed);
  BOOST_TEST(run.progress_reports == 2);
  BOOST_TEST(run.failure.empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
