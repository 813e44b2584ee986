// The catalog of activity types: what add<T> takes and refuses, lookups, and
// what register_activities puts in.
#include <boost/test/unit_test.hpp>

#include "actors/activity/catalog.hpp"
#include "tests/support/activity_harness.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::test {
namespace {

using activity::Catalog;
using activity::Json;

struct Echo {
  static constexpr std::string_view name = "echo";
  static caf::behavior make(caf::event_based_actor*, const activity::Env&) {
    return {[](activity::run_atom, const activity::Job& job) {
      return activity::completed(job.client_data);
    }};
  }
};

// Echo under other names.
template <const char* Name>
struct Named : Echo {
  static constexpr std::string_view name = Name;
};
constexpr char kZeta[] = "zeta";
constexpr char kAlpha[] = "alpha.1";
constexpr char kSpaced[] = "echo two";
constexpr char kUpper[] = "Echo";

void check_startup_error(const Status& s, const std::string& message) {
  BOOST_TEST_REQUIRE(!s.ok());
  BOOST_TEST((backbeat::test::http_status(s.error()) == 500));
  BOOST_TEST(backbeat::test::error_class(s.error()) == "Backbeat::StartupError");
  BOOST_TEST(s.error().message == message);
}

using Names = std::vector<std::string>;
const Names kBuiltins{"http", "sleep", "sum_amounts", "transform"};

}  // namespace

BOOST_AUTO_TEST_SUITE(catalog)

BOOST_AUTO_TEST_CASE(add_then_find_by_name) {
  Catalog catalog;
  BOOST_TEST(catalog.add<Echo>().ok());
  const activity::Definition* echo = catalog.find("echo");
  BOOST_TEST_REQUIRE(echo != nullptr);
  BOOST_TEST(echo->name == "echo");
  BOOST_TEST(catalog.find("ech") == nullptr);
  BOOST_TEST(catalog.find("Echo") == nullptr);
  // What the catalog holds is what runs.
  const ActivityRun run = run_activity(*echo, make_job({{"k", 1}}));
  BOOST_TEST_REQUIRE(run.outcome.has_value(), run.failure);
  BOOST_TEST(run.outcome->response == (Json{{"k", 1}}));
}

BOOST_AUTO_TEST_CASE(a_name_taken_is_refused) {
  Catalog catalog;
  BOOST_TEST(catalog.add<Echo>().ok());
  check_startup_error(catalog.add<Echo>(), "activity type 'echo' is registered twice");
  check_startup_error(catalog.add({"echo", &Named<kZeta>::make}),
                      "activity type 'echo' is registered twice");
  BOOST_TEST(catalog.names() == Names{"echo"});
}

BOOST_AUTO_TEST_CASE(invalid_names_and_missing_factories_are_refused) {
  Catalog catalog;
  check_startup_error(catalog.add<Named<kSpaced>>(),
                      "activity type 'echo two' has no valid name or factory");
  check_startup_error(catalog.add<Named<kUpper>>(),
                      "activity type 'Echo' has no valid name or factory");
  check_startup_error(catalog.add({"", &Echo::make}),
                      "activity type '' has no valid name or factory");
  check_startup_error(catalog.add({"nothing", nullptr}),
                      "activity type 'nothing' has no valid name or factory");
  BOOST_TEST(catalog.names().empty());
}

BOOST_AUTO_TEST_CASE(names_are_sorted) {
  Catalog catalog;
  for (Status s : {catalog.add<Named<kZeta>>(), catalog.add<Echo>(), catalog.add<Named<kAlpha>>()})
    BOOST_TEST(s.ok());
  BOOST_TEST(catalog.names() == (Names{"alpha.1", "echo", "zeta"}));
}

BOOST_AUTO_TEST_CASE(register_activities_adds_the_builtins) {
  Catalog catalog;
  BOOST_TEST(activity::register_activities(catalog, false).ok());
  BOOST_TEST(catalog.names() == kBuiltins);
  BOOST_TEST(catalog.find("test.throw") == nullptr);
  // Twice is a start-up error, not a silent overwrite.
  check_startup_error(activity::register_activities(catalog, false),
                      "activity type 'http' is registered twice");
}

BOOST_AUTO_TEST_CASE(the_test_kit_only_when_asked) {
  Catalog catalog;
  BOOST_TEST(activity::register_activities(catalog, true).ok());
  BOOST_TEST(catalog.names() == (Names{"http", "sleep", "sum_amounts", "test.exit", "test.hang",
                                        "test.throw", "transform"}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
