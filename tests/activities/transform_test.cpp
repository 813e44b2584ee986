// The transform built-in: client_data.output's shape filled from
// client_data.input through the JSON pointers at its string leaves.
#include <boost/test/unit_test.hpp>

#include "actors/activity/builtins.hpp"
#include "tests/support/activity_harness.hpp"

namespace backbeat::test {
namespace {

using activity::Json;

const Json kInput = Json::parse(R"({
  "invoice": {"total": 1650, "lines": [{"sku": "a", "cents": 1250}, {"sku": "b", "cents": 400}]},
  "customer": {"name": "Ada", "tags": ["vip"]},
  "a/b": 1, "m~n": 2
})");

ActivityRun reshape(Json output, Json input = kInput) {
  return run_activity<activity::TransformActivity>(
      make_job({{"input", std::move(input)}, {"output", std::move(output)}}));
}

// `depth` objects around a leaf: {"x":{"x":..."/invoice/total"}}.
Json nested(int depth, Json leaf = "/invoice/total") {
  Json shape = std::move(leaf);
  for (int i = 0; i < depth; ++i) shape = Json{{"x", std::move(shape)}};
  return shape;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(transform)

BOOST_AUTO_TEST_CASE(fills_a_nested_shape_and_keeps_other_leaves) {
  const Json out = completed_response(reshape(Json::parse(R"({
    "total": "/invoice/total",
    "bill_to": {"who": "/customer/name", "first_tag": "/customer/tags/0"},
    "escaped": ["/a~1b", "/m~0n"],
    "fixed": 3, "flag": true, "nothing": null, "empty": {}
  })")));
  BOOST_TEST(out == Json::parse(R"({
    "total": 1650,
    "bill_to": {"who": "Ada", "first_tag": "vip"},
    "escaped": [1, 2],
    "fixed": 3, "flag": true, "nothing": null, "empty": {}
  })"));
}

BOOST_AUTO_TEST_CASE(arrays_keep_their_order_and_pointers_take_whole_values) {
  const Json lines = Json::parse(R"(["/invoice/lines/1/sku", "/invoice/lines/0/sku", 7])");
  BOOST_TEST(completed_response(reshape(lines)) == Json::parse(R"(["b", "a", 7])"));
  BOOST_TEST(completed_response(reshape("/invoice/lines")) == kInput["invoice"]["lines"]);
  BOOST_TEST(completed_response(reshape("")) == kInput);  // "" is the whole input
  BOOST_TEST(completed_response(reshape(Json::array())) == Json::array());
}

BOOST_AUTO_TEST_CASE(a_pointer_to_nothing_is_an_error_naming_it) {
  BOOST_TEST(error_message(reshape({{"tax", "/invoice/tax"}})) ==
             "client_data.input has nothing at '/invoice/tax'");
  BOOST_TEST(error_message(reshape("/invoice/lines/2")) ==
             "client_data.input has nothing at '/invoice/lines/2'");
  BOOST_TEST(error_message(reshape("/invoice/lines/first")) ==
             "client_data.input has nothing at '/invoice/lines/first'");
  BOOST_TEST(error_message(reshape("/invoice/total/cents")) ==
             "client_data.input has nothing at '/invoice/total/cents'");
}

BOOST_AUTO_TEST_CASE(text_that_is_no_pointer_is_an_error) {
  BOOST_TEST(error_message(reshape({{"total", "invoice.total"}})) ==
             "'invoice.total' is not a JSON pointer");
  BOOST_TEST(error_message(reshape("/invoice/~2")) ==
             "'/invoice/~2' is not a JSON pointer into client_data.input");
  BOOST_TEST(error_message(reshape("/invoice/lines/99999999999999999999999")) ==
             "'/invoice/lines/99999999999999999999999' is not a JSON pointer into "
             "client_data.input");
}

BOOST_AUTO_TEST_CASE(output_nested_beyond_32_levels_is_refused) {
  BOOST_TEST(completed_response(reshape(nested(32))) == nested(32, 1650));
  BOOST_TEST(error_message(reshape(nested(33))) == "client_data.output is nested too deeply");
  BOOST_TEST(error_message(reshape(nested(5000))) == "client_data.output is nested too deeply");
}

BOOST_AUTO_TEST_CASE(client_data_needs_input_and_output) {
  const std::string needs = "client_data needs input and output";
  const auto run = [](Json client_data) {
    return run_activity<activity::TransformActivity>(make_job(std::move(client_data)));
  };
  BOOST_TEST(error_message(run(Json::object())) == needs);
  BOOST_TEST(error_message(run({{"input", 1}})) == needs);
  BOOST_TEST(error_message(run({{"output", "/x"}})) == needs);
  // Not an object at all (the server passes {} instead; an activity must not crash).
  BOOST_TEST(error_message(run(Json::array({1, 2}))) == needs);
  BOOST_TEST(error_message(run("input")) == needs);
  BOOST_TEST(error_message(run(nullptr)) == needs);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
