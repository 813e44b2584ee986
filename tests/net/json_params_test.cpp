#include <boost/test/unit_test.hpp>

#include "tests/net/json_test_support.hpp"

#include "net/contract/json_text.hpp"
#include "net/contract/params.hpp"
#include "tests/support/error_view.hpp"

using backbeat::Error;
using backbeat::contract::merge_params;
using backbeat::contract::normalize_keys;
using backbeat::contract::parse_body;
using backbeat::contract::parse_query;
using nlohmann::json;

namespace {

json query_ok(std::string_view q) {
  auto r = parse_query(q);
  BOOST_REQUIRE_MESSAGE(r.ok(), "parse_query failed: " << (r.ok() ? "" : r.error().message));
  return *r;
}

json body_ok(std::string_view type, std::string_view body) {
  auto r = parse_body(type, body);
  BOOST_REQUIRE_MESSAGE(r.ok(), "parse_body failed: " << (r.ok() ? "" : r.error().message));
  return *r;
}

Error bad(const backbeat::Result<json>& r) {
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST((backbeat::test::http_status(r.error()) == 400));
  BOOST_TEST(backbeat::test::error_class(r.error()) == "Backbeat::BadRequest");
  return r.error();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_params)

BOOST_AUTO_TEST_CASE(form_values_are_strings) {
  BB_CHECK_JSON(query_ok("subject_id=100&name=x"),
                json::parse(R"({"subject_id":"100","name":"x"})"));
  BB_CHECK_JSON(query_ok(""), json::object());
  BB_CHECK_JSON(query_ok("&&a=1&"), json::parse(R"({"a":"1"})"));
  BB_CHECK_JSON(query_ok("a=1;b=2& c=3"), json::parse(R"({"a":"1","b":"2","c":"3"})"));
  BB_CHECK_JSON(query_ok("flag&e="), json::parse(R"({"flag":null,"e":""})"));
  BB_CHECK_JSON(query_ok("a=b=c"), json::parse(R"({"a":"b=c"})"));
}

BOOST_AUTO_TEST_CASE(form_decoding) {
  BB_CHECK_JSON(query_ok("name=hello+world%21&k%5Bx%5D=%E2%9C%93"),
                json::parse(R"({"name":"hello world!","k":{"x":"✓"}})"));
  BB_CHECK_JSON(query_ok("plus=%2B&pct=%25"), json::parse(R"({"plus":"+","pct":"%"})"));
  BOOST_TEST(bad(parse_query("a=%zz")).message.find("%-encoding") != std::string::npos);
  (void)bad(parse_query("a=%4"));
  (void)bad(parse_query("a=100%"));
  (void)bad(parse_query("a=%ff%fe"));  // not UTF-8
}

BOOST_AUTO_TEST_CASE(form_nested_keys) {
  BB_CHECK_JSON(query_ok("options[client_data][data]=123&options[metadata][m]=x"),
                json::parse(R"({"options":{"client_data":{"data":"123"},"metadata":{"m":"x"}}})"));
  BB_CHECK_JSON(query_ok("a[]=1&a[]=2"), json::parse(R"({"a":["1","2"]})"));
  BB_CHECK_JSON(query_ok("a[b][]=1&a[b][]=2"), json::parse(R"({"a":{"b":["1","2"]}})"));
  BB_CHECK_JSON(query_ok("a]=1"), json::parse(R"({"a":"1"})"));
  BB_CHECK_JSON(query_ok("[]=1&=2"), json::object());  // empty keys are ignored
  BB_CHECK_JSON(query_ok("a[=1"), json::parse(R"({"a[":"1"})"));
}

BOOST_AUTO_TEST_CASE(form_arrays_of_hashes_group_like_rack) {
  BB_CHECK_JSON(query_ok("decisions[][name]=a&decisions[][mode]=blocking&decisions[][name]=b"),
                json::parse(R"({"decisions":[{"name":"a","mode":"blocking"},{"name":"b"}]})"));
  BB_CHECK_JSON(query_ok("d[][o][x]=1&d[][o][y]=2&d[][o][x]=3"),
                json::parse(R"({"d":[{"o":{"x":"1","y":"2"}},{"o":{"x":"3"}}]})"));
}

BOOST_AUTO_TEST_CASE(form_shape_clashes_are_bad_requests) {
  BOOST_TEST(bad(parse_query("a=1&a[b]=2")).message.find("'a[b]'") != std::string::npos);
  (void)bad(parse_query("a[b]=1&a[]=2"));
  (void)bad(parse_query("a[]=1&a[b]=2"));
  std::string deep = "a";
  for (int i = 0; i < 40; ++i) deep += "[x]";
  (void)bad(parse_query(deep + "=1"));
}

BOOST_AUTO_TEST_CASE(json_bodies) {
  BB_CHECK_JSON(body_ok("application/json", R"({"a":1,"b":[true,null]})"),
                json::parse(R"({"a":1,"b":[true,null]})"));
  BB_CHECK_JSON(body_ok("Application/JSON; charset=utf-8", R"({"a":1})"),
                json::parse(R"({"a":1})"));
  BB_CHECK_JSON(body_ok("application/vnd.api+json", R"({"a":1})"), json::parse(R"({"a":1})"));
  BB_CHECK_JSON(body_ok("application/json", ""), json::object());
  BB_CHECK_JSON(body_ok("application/json", " \r\n"), json::object());
  BB_CHECK_JSON(body_ok("", ""), json::object());
}

BOOST_AUTO_TEST_CASE(malformed_json_is_a_bad_request_with_a_reason) {
  const Error e = bad(parse_body("application/json", R"({"a":)"));
  BOOST_TEST(e.message.rfind("Malformed JSON body: ", 0) == 0);
  BOOST_TEST(e.message.find("json.exception") == std::string::npos);
  BOOST_TEST(e.message.find("line 1") != std::string::npos);
  (void)bad(parse_body("application/json", R"({"a":1} trailing)"));
  // Invalid UTF-8 is refused, and the echo of it in the message is repaired.
  BOOST_TEST(backbeat::contract::is_valid_utf8(
      bad(parse_body("application/json", "{\"a\":\"\xff\"}")).message));
  BOOST_TEST(bad(parse_body("application/json", "[1,2]")).message ==
             "JSON body must be an object, not array");
  (void)bad(parse_body("application/json", "\"str\""));
  (void)bad(parse_body("application/json", "a=1"));
  const std::string deep = std::string(200, '[') + std::string(200, ']');
  BOOST_TEST(bad(parse_body("application/json", "{\"a\":" + deep + "}")).message.find("nesting") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(form_bodies_and_sniffing) {
  const char* form = "name=s&options[client_data][data]=123";
  const json expected = json::parse(R"({"name":"s","options":{"client_data":{"data":"123"}}})");
  BB_CHECK_JSON(body_ok("application/x-www-form-urlencoded", form), expected);
  BB_CHECK_JSON(body_ok("application/x-www-form-urlencoded; charset=UTF-8", form), expected);
  BB_CHECK_JSON(body_ok("", form), expected);  // no type: Rack parses a form
  BB_CHECK_JSON(body_ok("", R"( {"a":1})"), json::parse(R"({"a":1})"));
  BB_CHECK_JSON(body_ok("text/plain", R"({"a":1})"), json::parse(R"({"a":1})"));
  BOOST_TEST(bad(parse_body("text/plain", "hello")).message.find("text/plain") !=
             std::string::npos);
  (void)bad(parse_body("text/plain", "{nope"));
  // `curl -d '{...}'` labels JSON as a form; a form never starts with '{'.
  BB_CHECK_JSON(body_ok("application/x-www-form-urlencoded", R"({"a":1})"),
                json::parse(R"({"a":1})"));
  BB_CHECK_JSON(body_ok("application/x-www-form-urlencoded", "a={b}"),
                json::parse(R"({"a":"{b}"})"));
}

BOOST_AUTO_TEST_CASE(merge_order_is_query_then_body_then_route) {
  const json q = json::parse(R"({"a":"q","b":"q","c":"q","nested":{"x":1}})");
  const json b = json::parse(R"({"b":"body","c":"body","nested":{"y":2}})");
  const json merged = merge_params(q, b, {{"c", "route"}, {"id", "42"}});
  BB_CHECK_JSON(merged,
                json::parse(R"({"a":"q","b":"body","c":"route","id":"42","nested":{"y":2}})"));
  BB_CHECK_JSON(merge_params(json(), json(3), {}), json::object());
}

BOOST_AUTO_TEST_CASE(merge_order_holds_whatever_the_spelling) {
  // Before, normalize_keys let the snake spelling win: the query's
  // workflow_type beat the body's workflowType, against the merge order.
  const json merged = merge_params(json::parse(R"({"workflow_type":"q","aB":"q"})"),
                                   json::parse(R"({"workflowType":"body","Id":"body"})"),
                                   {{"id", "route"}});
  BB_CHECK_JSON(normalize_keys(merged),
                json::parse(R"({"a_b":"q","id":"route","workflow_type":"body"})"));
}

BOOST_AUTO_TEST_CASE(request_to_params_end_to_end) {
  const json params = normalize_keys(merge_params(
      query_ok("workflowId=w1"),
      body_ok("application/json",
              R"({"decisions":[{"name":"n","firesAt":"t","clientData":{"firstName":"f"}}]})"),
      {{"id", "n1"}}));
  BB_CHECK_JSON(params, json::parse(R"({"workflow_id":"w1","id":"n1",
      "decisions":[{"name":"n","fires_at":"t","client_data":{"firstName":"f"}}]})"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(json_text)

using backbeat::contract::dump_json;
using backbeat::contract::parse_json_text;
using backbeat::contract::parse_stored_json;

BOOST_AUTO_TEST_CASE(stored_text_parses_or_becomes_a_string) {
  BOOST_TEST(parse_stored_json(R"({"b":1,"a":2})").dump() == R"({"b":1,"a":2})");
  BOOST_TEST(parse_stored_json(R"("abc")").dump() == R"("abc")");
  BOOST_TEST(parse_stored_json("not json").dump() == R"("not json")");
  BOOST_TEST(parse_stored_json("").dump() == R"("")");
  BOOST_TEST(parse_stored_json("null").is_null());
}

BOOST_AUTO_TEST_CASE(dump_never_throws_on_invalid_utf8) {
  const json bad_text = std::string("a\xff");
  BOOST_TEST(dump_json(bad_text) == "\"a\xEF\xBF\xBD\"");
  BOOST_TEST(dump_json(nlohmann::ordered_json{{"k", std::string("\xc3")}}) ==
             "{\"k\":\"\xEF\xBF\xBD\"}");
}

BOOST_AUTO_TEST_CASE(utf8_checks) {
  using backbeat::contract::is_valid_utf8;
  using backbeat::contract::to_valid_utf8;
  BOOST_TEST(is_valid_utf8("plain \xE2\x9C\x93 \xF0\x9F\x98\x80"));
  for (const char* bad : {"\xff", "\xC0\xAF", "\xED\xA0\x80", "\xE2\x9C", "\xF4\x90\x80\x80"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!is_valid_utf8(bad)); }
  }
  BOOST_TEST(to_valid_utf8("a\xff"
                           "b\xE2\x9C\x93") ==
             "a\xEF\xBF\xBD"
             "b\xE2\x9C\x93");
}

BOOST_AUTO_TEST_CASE(parse_json_text_names_what_it_parsed) {
  auto r = parse_json_text("{", "subject");
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().message.rfind("Malformed JSON subject: ", 0) == 0);
  BB_CHECK_JSON(parse_json_text("[1]", "x").value(), json::parse("[1]"));
  BB_CHECK_JSON(parse_json_text("12", "x").value(), json(12));
}

BOOST_AUTO_TEST_SUITE_END()
