#include <boost/test/unit_test.hpp>

#include "tests/net/json_test_support.hpp"

#include <utility>

#include "net/contract/params.hpp"

using backbeat::contract::camelize;
using backbeat::contract::camelize_keys;
using backbeat::contract::normalize_keys;
using backbeat::contract::underscore;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(json_keys)

BOOST_AUTO_TEST_CASE(underscore_follows_active_support) {
  const std::pair<const char*, const char*> table[] = {
      {"workflowType", "workflow_type"},
      {"parentLinkId", "parent_link_id"},
      {"HTTPThing", "http_thing"},
      {"a-b", "a_b"},
      {"ABC", "abc"},
      {"already_snake", "already_snake"},
      {"Foo::Bar", "foo/bar"},
      {"clientData", "client_data"},
      {"currentServerStatus", "current_server_status"},
      {"ID", "id"},
      {"userID", "user_id"},
      {"v2Beta", "v2_beta"},
      {"A1Bc", "a1_bc"},
      {"ABCDef", "abc_def"},
      {"aBCd", "a_b_cd"},
      {"Product", "product"},
      {"SSLError", "ssl_error"},
      {"already_Snake", "already_snake"},  // "_S": nothing to split
      {"", ""},
      {"x", "x"},
      {"with space", "with space"},
      {"a:B", "a:b"},
  };
  for (const auto& [in, out] : table) {
    BOOST_TEST_CONTEXT(in) { BOOST_TEST(underscore(in) == out); }
  }
}

BOOST_AUTO_TEST_CASE(camelize_follows_active_support_lower) {
  const std::pair<const char*, const char*> table[] = {
      {"current_server_status", "currentServerStatus"},
      {"id", "id"},
      {"order_id", "orderId"},
      {"orderId", "orderId"},
      {"OrderId", "orderId"},
      {"order_ID", "orderId"},
      {"a__b", "aB"},
      {"trailing_", "trailing"},
      {"_private", "Private"},
      {"foo/bar", "foo::Bar"},
      {"v_2nd", "v2nd"},
      {"", ""},
  };
  for (const auto& [in, out] : table) {
    BOOST_TEST_CONTEXT(in) { BOOST_TEST(camelize(in) == out); }
  }
}

BOOST_AUTO_TEST_CASE(normalize_rewrites_every_depth) {
  const json in = json::parse(R"({
    "workflowType": "wf",
    "subject": {"orderId": 5, "lineItems": [{"skuCode": "x"}, 3, [{"deepKey": 1}]]},
    "response": {"error": {"errorCode": 3}},
    "clientMetadata": {"innerKey": 1},
    "decisions": [{"name": "a", "firesAt": "t", "options": {"clientData": {"firstName": "f"}}}]
  })");
  const json expected = json::parse(R"({
    "workflow_type": "wf",
    "subject": {"order_id": 5, "line_items": [{"sku_code": "x"}, 3, [{"deep_key": 1}]]},
    "response": {"error": {"error_code": 3}},
    "client_metadata": {"inner_key": 1},
    "decisions": [{"name": "a", "fires_at": "t", "options": {"client_data": {"firstName": "f"}}}]
  })");
  BB_CHECK_JSON(normalize_keys(in), expected);
}

BOOST_AUTO_TEST_CASE(client_data_and_metadata_values_are_verbatim) {
  const json in = json::parse(R"({
    "clientData": {"firstName": "a", "nested": {"camelKey": [{"innerKey": 1}]}},
    "metadata": {"someKey": true},
    "options": {"client_data": {"keepMe": 1}, "Metadata": {"AlsoMe": 2}}
  })");
  const json out = normalize_keys(in);
  BB_CHECK_JSON(out["client_data"], in["clientData"]);
  BB_CHECK_JSON(out["metadata"], in["metadata"]);
  BB_CHECK_JSON(out["options"]["client_data"], json::parse(R"({"keepMe": 1})"));
  BB_CHECK_JSON(out["options"]["metadata"], json::parse(R"({"AlsoMe": 2})"));
  BOOST_TEST(!out.contains("clientData"));
}

BOOST_AUTO_TEST_CASE(snake_spelling_wins_a_collision) {
  // std::map order puts "workflowType" first and "workflow_type" after, and
  // "a_b" before "aB": the rule must not depend on either.
  BB_CHECK_JSON(normalize_keys(json::parse(R"({"workflowType":"camel","workflow_type":"snake"})")),
                json::parse(R"({"workflow_type":"snake"})"));
  BB_CHECK_JSON(normalize_keys(json::parse(R"({"aB":"camel","a_b":"snake"})")),
                json::parse(R"({"a_b":"snake"})"));
}

BOOST_AUTO_TEST_CASE(scalars_and_arrays_pass_through) {
  BB_CHECK_JSON(normalize_keys(json(5)), json(5));
  BB_CHECK_JSON(normalize_keys(json("fooBar")), json("fooBar"));
  BB_CHECK_JSON(normalize_keys(json::parse(R"([{"aB": 1}])")), json::parse(R"([{"a_b": 1}])"));
}

BOOST_AUTO_TEST_CASE(camelize_keys_recurses_without_exemptions) {
  const json in = json::parse(R"({"order_id": 1, "client_data": {"first_name": "x"},
                                  "items": [{"sku_code": 2}]})");
  const json expected = json::parse(R"({"orderId": 1, "clientData": {"firstName": "x"},
                                        "items": [{"skuCode": 2}]})");
  BB_CHECK_JSON(camelize_keys(in), expected);
  // The ordered flavour keeps the input order.
  const auto ordered = nlohmann::ordered_json::parse(R"({"z_key": 1, "a_key": 2})");
  BOOST_TEST(camelize_keys(ordered).dump() == R"({"zKey":1,"aKey":2})");
}

BOOST_AUTO_TEST_SUITE_END()
