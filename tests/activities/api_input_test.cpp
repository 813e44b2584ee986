// How the API reads a node's activity_type (actors/api/node_spec.hpp):
// beside `type` or inside `options`, a string of a valid name, and one this
// server's catalog has; anything else is a 400 before any store is read.
#include <boost/test/unit_test.hpp>

#include "actors/api/inputs.hpp"
#include "actors/api/node_spec.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::test {
namespace {

using actors::api::Json;

const std::string kBadName = "activity_type must be 1-64 characters of a-z, 0-9, '_', '-' and '.'";

// A one-element decisions list, read.
Result<std::vector<engine::NodeSpec>> decide(Json element) {
  return actors::api::decisions_input({{"decisions", Json::array({std::move(element)})}});
}

// The activity_type read from it; "-" when there is none.
std::string type_of(Json element) {
  auto specs = decide(std::move(element));
  BOOST_TEST_REQUIRE(specs.ok(), (specs.ok() ? "" : specs.error().message));
  BOOST_TEST_REQUIRE(specs->size() == 1u);
  return specs->front().activity_type.value_or("-");
}

// Why it was refused.
Error refusal(Json element) {
  auto specs = decide(std::move(element));
  BOOST_TEST_REQUIRE(!specs.ok());
  return specs.error();
}

void check_400(const Error& e, const std::string& message) {
  BOOST_TEST((backbeat::test::http_status(e) == 400));
  BOOST_TEST(backbeat::test::error_class(e) == "Backbeat::BadRequest");
  BOOST_TEST(e.message == message);
}

engine::NodeSpec spec(std::optional<std::string> activity_type) {
  engine::NodeSpec s;
  s.name = "n";
  s.activity_type = std::move(activity_type);
  return s;
}

const activity::Catalog& builtins() {
  static const activity::Catalog catalog = [] {
    activity::Catalog c;
    BOOST_TEST_REQUIRE(activity::register_activities(c, false).ok());
    return c;
  }();
  return catalog;
}

const std::string kRuns = "; this server runs: http, sleep, sum_amounts, transform";

}  // namespace

BOOST_AUTO_TEST_SUITE(activity_type_input)

BOOST_AUTO_TEST_CASE(read_beside_type_or_inside_options) {
  BOOST_TEST(type_of({{"name", "a"}, {"activity_type", "http"}}) == "http");
  BOOST_TEST(type_of({{"name", "a"}, {"options", {{"activity_type", "sleep"}}}}) == "sleep");
  // Beside `type` wins over `options`.
  BOOST_TEST(type_of({{"name", "a"},
                      {"activity_type", "http"},
                      {"options", {{"activity_type", "sleep"}}}}) == "http");
  // Absent or null: a client's node.
  BOOST_TEST(type_of({{"name", "a"}}) == "-");
  BOOST_TEST(type_of({{"name", "a"}, {"activity_type", nullptr}}) == "-");
  BOOST_TEST(type_of({{"name", "a"}, {"options", {{"activity_type", nullptr}}}}) == "-");
  // client_data is the activity's, not a place the server reads it from.
  BOOST_TEST(type_of({{"name", "a"}, {"client_data", {{"activity_type", "x"}}}}) == "-");
}

BOOST_AUTO_TEST_CASE(signals_read_it_the_same_way) {
  auto top = actors::api::signal_input({{"name", "sig"}, {"activity_type", "transform"}});
  BOOST_TEST_REQUIRE(top.ok());
  BOOST_TEST(top->activity_type.value_or("-") == "transform");
  auto inside =
      actors::api::signal_input({{"name", "sig"}, {"options", {{"activity_type", "http"}}}});
  BOOST_TEST_REQUIRE(inside.ok());
  BOOST_TEST(inside->activity_type.value_or("-") == "http");
  auto bad = actors::api::signal_input({{"name", "sig"}, {"activity_type", "No"}});
  BOOST_TEST_REQUIRE(!bad.ok());
  check_400(bad.error(), kBadName);
}

BOOST_AUTO_TEST_CASE(non_strings_are_refused) {
  for (const Json& value : {Json(5), Json(true), Json::object(), Json::array({"http"})}) {
    BOOST_TEST_CONTEXT(value.dump()) {
      check_400(refusal({{"name", "a"}, {"activity_type", value}}),
                "decisions[0]: activity_type must be a string");
      check_400(refusal({{"name", "a"}, {"options", {{"activity_type", value}}}}),
                "decisions[0]: activity_type must be a string");
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_names_are_refused) {
  for (const std::string& name : std::vector<std::string>{
           "", "Http", "sum amounts", "a/b", "caf\xC3\xA9", "x\r\n", std::string(65, 'a')}) {
    BOOST_TEST_CONTEXT("'" << name << "'") {
      check_400(refusal({{"name", "a"}, {"activity_type", name}}), "decisions[0]: " + kBadName);
      check_400(refusal({{"name", "a"}, {"options", {{"activity_type", name}}}}),
                "decisions[0]: " + kBadName);
    }
  }
  BOOST_TEST(type_of({{"name", "a"}, {"activity_type", std::string(64, 'a')}}) ==
             std::string(64, 'a'));
}

BOOST_AUTO_TEST_CASE(known_types_pass) {
  const std::vector<engine::NodeSpec> specs{spec("http"), spec(std::nullopt), spec("sum_amounts")};
  BOOST_TEST(actors::api::known_activity_types(specs, builtins()).ok());
  BOOST_TEST(actors::api::known_activity_types({}, builtins()).ok());
}

BOOST_AUTO_TEST_CASE(an_unknown_type_is_a_400_listing_the_known_ones) {
  const std::vector<engine::NodeSpec> one{spec("sum_amount")};
  auto s = actors::api::known_activity_types(one, builtins());
  BOOST_TEST_REQUIRE(!s.ok());
  check_400(s.error(), "unknown activity_type 'sum_amount'" + kRuns);
  // Among several, the message says which.
  const std::vector<engine::NodeSpec> three{spec(std::nullopt), spec("http"), spec("test.throw")};
  auto among = actors::api::known_activity_types(three, builtins());
  BOOST_TEST_REQUIRE(!among.ok());
  check_400(among.error(), "decisions[2]: unknown activity_type 'test.throw'" + kRuns);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
