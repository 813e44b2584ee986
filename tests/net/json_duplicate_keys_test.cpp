// Keys sent twice, or twice once normalised, are refused wherever a request
// carries them: a proxy, a log and Backbeat reading one body must never see
// different values (nlohmann and Rack would each silently keep the last).
#include <boost/test/unit_test.hpp>

#include "tests/net/json_test_support.hpp"

#include "net/contract/json_text.hpp"
#include "net/contract/params.hpp"
#include "tests/support/error_view.hpp"

using backbeat::Error;
using backbeat::Result;
using backbeat::contract::parse_body;
using backbeat::contract::parse_json_text;
using backbeat::contract::parse_query;
using backbeat::contract::parse_stored_json;
using nlohmann::json;

namespace {

// The message of a DuplicateKey refusal.
std::string refused(const Result<json>& r) {
  BOOST_REQUIRE_MESSAGE(!r.ok(), "accepted: " << (r.ok() ? r.value().dump() : ""));
  BOOST_TEST((backbeat::test::http_status(r.error()) == 400));
  BOOST_TEST(backbeat::test::error_class(r.error()) == "Backbeat::DuplicateKey");
  return r.error().message;
}

std::string refused_json(std::string_view body) { return refused(parse_body("application/json", body)); }
std::string refused_form(std::string_view body) {
  return refused(parse_body("application/x-www-form-urlencoded", body));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_duplicate_keys)

BOOST_AUTO_TEST_CASE(a_json_key_twice_is_refused_at_any_depth_and_named) {
  BOOST_TEST(refused_json(R"({"a":1,"a":2})") == "Duplicate key 'a' in body");
  BOOST_TEST(refused_json(R"({"x":{"b":1,"b":2}})") == "Duplicate key 'b' in body (at /x)");
  BOOST_TEST(refused_json(R"({"l":[0,{"m":{"k":1,"j":2,"k":3}}]})") ==
             "Duplicate key 'k' in body (at /l/1/m)");
  // Equal values, or nulls, are no excuse; and inside client_data too, whose
  // keys are otherwise kept as sent.
  BOOST_TEST(refused_json(R"({"a":null,"a":null})") == "Duplicate key 'a' in body");
  BOOST_TEST(refused_json(R"({"options":{"client_data":{"amount":1,"amount":100}}})") ==
             "Duplicate key 'amount' in body (at /options/client_data)");
  BOOST_TEST(refused_json(R"({"a/b~":{"c":1,"c":1}})") == "Duplicate key 'c' in body (at /a~1b~0)");
  // The same key in sibling objects is no duplicate.
  BB_CHECK_JSON(parse_body("application/json", R"({"a":{"k":1},"b":{"k":2},"c":[{"k":1},{"k":2}]})").value(),
                json::parse(R"({"a":{"k":1},"b":{"k":2},"c":[{"k":1},{"k":2}]})"));
}

BOOST_AUTO_TEST_CASE(every_json_text_a_client_sends_is_checked) {
  auto r = parse_json_text(R"([{"s":1,"s":2}])", "subject");
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(backbeat::test::error_class(r.error()) == "Backbeat::DuplicateKey");
  BOOST_TEST(r.error().message == "Duplicate key 's' in subject (at /0)");
  // What is accepted is what nlohmann's own parser builds.
  const std::string text =
      R"({"n":null,"t":true,"i":-3,"u":18446744073709551615,"f":1.5e300,"s":"\u00e9",)"
      R"("a":[[],{},[1,[2]],{"x":{"y":[]}}],"o":{"p":{"q":"r"}}})";
  BB_CHECK_JSON(parse_json_text(text, "x").value(), json::parse(text));
  BB_CHECK_JSON(parse_json_text("[1,{\"a\":[{}]},3]", "x").value(), json::parse("[1,{\"a\":[{}]},3]"));
}

BOOST_AUTO_TEST_CASE(keys_that_normalise_alike_are_refused) {
  BOOST_TEST(refused_json(R"({"clientData":{},"client_data":{}})") ==
             "Duplicate key 'client_data' in body (spelt 'clientData' and 'client_data')");
  BOOST_TEST(refused_json(R"({"workflowType":"a","WorkflowType":"b","decider":"d"})") ==
             "Duplicate key 'workflow_type' in body (spelt 'WorkflowType' and 'workflowType')");
  BOOST_TEST(refused_json(R"({"options":{"fires-at":1,"firesAt":2}})") ==
             "Duplicate key 'fires_at' in body (spelt 'fires-at' and 'firesAt', at /options)");
  BOOST_TEST(refused_json(R"({"decisions":[{"name":"a"},{"Name":"b","name":"c"}]})") ==
             "Duplicate key 'name' in body (spelt 'Name' and 'name', at /decisions/1)");
  // client_data and metadata keep their keys as sent: there both are kept.
  for (const char* verbatim : {"client_data", "clientData", "metadata", "Metadata"}) {
    const std::string body = std::string(R"({"options":{")") + verbatim +
                             R"(":{"orderId":1,"order_id":2,"deep":{"aB":1,"a_b":2}}}})";
    BOOST_TEST(parse_body("application/json", body).ok(), body);
  }
  // Different keys that only look alike are not collisions.
  BOOST_TEST(parse_body("application/json", R"({"ab":1,"a_b":2,"A":{"a":1}})").ok());
}

BOOST_AUTO_TEST_CASE(form_bodies_and_query_strings_refuse_repeats_too) {
  // Rack keeps the last of a repeated name; refused here, at every depth.
  BOOST_TEST(refused(parse_query("a=1&a=2")) == "Duplicate key 'a' in query string");
  BOOST_TEST(refused(parse_query("flag&flag")) == "Duplicate key 'flag' in query string");
  BOOST_TEST(refused(parse_query("a[b]=1&a[b]=2")) == "Duplicate key 'a[b]' in query string");
  BOOST_TEST(refused(parse_query("a[b]=1&a=2")) == "Duplicate key 'a' in query string");
  BOOST_TEST(refused_form("options[client_data][x]=1&options[client_data][x]=2") ==
             "Duplicate key 'options[client_data][x]' in body");
  BOOST_TEST(refused(parse_query("workflowType=a&workflow_type=b")) ==
             "Duplicate key 'workflow_type' in query string (spelt 'workflowType' and "
             "'workflow_type')");
  BOOST_TEST(refused_form("decisions[][name]=a&decisions[][firesAt]=1&decisions[][fires_at]=2") ==
             "Duplicate key 'fires_at' in body (spelt 'firesAt' and 'fires_at', at /decisions/0)");
  // Arrays are the way to send several values, and Rack's grouping of
  // repeated names into array elements still applies.
  BB_CHECK_JSON(parse_query("a[]=1&a[]=1").value(), json::parse(R"({"a":["1","1"]})"));
  BB_CHECK_JSON(parse_query("d[][x]=1&d[][x]=2").value(),
                json::parse(R"({"d":[{"x":"1"},{"x":"2"}]})"));
}

BOOST_AUTO_TEST_CASE(stored_json_never_carries_a_key_twice) {
  // What is stored is always a dump of a parsed value (an object cannot hold
  // a key twice); even text written by some other version reads back with
  // each key once.
  BOOST_TEST(parse_stored_json(R"({"a":1,"b":2,"a":3})").dump() == R"({"a":3,"b":2})");
}

BOOST_AUTO_TEST_SUITE_END()
