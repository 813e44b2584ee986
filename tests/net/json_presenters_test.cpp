#include <boost/test/unit_test.hpp>

#include "net/contract/error_body.hpp"
#include "net/contract/json_presenters.hpp"
#include "net/contract/json_text.hpp"
#include "tests/net/json_fixtures.hpp"

using namespace json_fixtures;
using namespace backbeat::contract;
using nlohmann::json;

namespace {

const std::string kWf = "00000000-0000-4000-8000-00000000000a";
const std::string kUser = "00000000-0000-4000-8000-0000000000f1";
const std::string kSubject = R"({"order_id":5,"line_items":[{"sku_code":"x"}],"b":1,"a":2})";

Node sent_decision(const Workflow& wf) {
  Node n = node("000000000001", wf);
  n.legacy_type = "decision";
  n.server_status = ServerStatus::sent_to_client;
  n.client_status = ClientStatus::received;
  n.client_data = R"({"firstName":"f","z":1,"a":2})";
  n.metadata = R"({"version":"v2"})";
  return n;
}

std::string node_text(const char* parent, const char* server, const char* client,
                      const char* mode = "blocking") {
  return std::string(R"({"id":"00000000-0000-4000-8000-000000000001","mode":")") + mode +
         R"(","name":"node-000000000001","workflowId":")" + kWf + R"(","parentId":)" + parent +
         R"(,"userId":")" + kUser +
         R"(","clientData":{"firstName":"f","z":1,"a":2},"metadata":{"version":"v2"},"subject":)" +
         kSubject +
         R"(,"decider":"ExportDecider","workflowName":"export","currentServerStatus":")" + server +
         R"(","currentClientStatus":")" + client + R"(","createdAt":"2016-03-02T17:04:05.124Z"})";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_presenters)

BOOST_AUTO_TEST_CASE(workflow_fields_and_order) {
  Workflow wf = workflow();
  wf.paused = true;
  BOOST_TEST(
      dump_json(present_workflow(wf)) ==
      R"({"id":")" + kWf + R"(","name":"export","subject":)" + kSubject +
          R"(,"decider":"ExportDecider","userId":")" + kUser +
          R"(","createdAt":"2016-03-02T17:04:05.123Z","updatedAt":"2016-03-02T17:04:06.123Z",)"
          R"("complete":false,"paused":true})");
}

BOOST_AUTO_TEST_CASE(unparsable_stored_text_is_presented_as_a_string) {
  Workflow wf = workflow();
  wf.subject = "not {json";
  BOOST_TEST(present_workflow(wf)["subject"].dump() == R"("not {json")");
  wf.subject = R"("plain")";
  BOOST_TEST(present_workflow(wf)["subject"].dump() == R"("plain")");
  Node n = sent_decision(wf);
  n.client_data = "{";
  BOOST_TEST(present_node(n, wf)["clientData"].dump() == R"("{")");
}

BOOST_AUTO_TEST_CASE(node_fields_and_order) {
  const Workflow wf = workflow();
  Node n = sent_decision(wf);
  BOOST_TEST(dump_json(present_node(n, wf)) == node_text("null", "sent_to_client", "received"));
  n.parent_id = id("0000000000b0");
  n.mode = Mode::fire_and_forget;
  BOOST_TEST(dump_json(present_node(n, wf)) ==
             node_text(R"("00000000-0000-4000-8000-0000000000b0")", "sent_to_client", "received",
                       "fire_and_forget"));
}

// Last, and only on nodes an in-engine activity runs: every other node reads
// byte for byte as before the field existed.
BOOST_AUTO_TEST_CASE(activity_type_only_when_set) {
  const Workflow wf = workflow();
  Node n = sent_decision(wf);
  BOOST_TEST(!present_node(n, wf).contains("activityType"));
  n.activity_type = "sum_amounts";
  std::string expected = node_text("null", "sent_to_client", "received");
  expected.insert(expected.size() - 1, R"(,"activityType":"sum_amounts")");
  BOOST_TEST(dump_json(present_node(n, wf)) == expected);
}

BOOST_AUTO_TEST_CASE(callback_body_wraps_by_type_and_endpoint) {
  const Workflow wf = workflow();
  Node n = sent_decision(wf);
  const std::string node = node_text("null", "sent_to_client", "received");
  BOOST_TEST(dump_json(callback_body(n, wf, true)) == R"({"decision":)" + node + "}");
  BOOST_TEST(dump_json(callback_body(n, wf, false)) == R"({"activity":)" + node + "}");
  n.legacy_type = "activity";
  BOOST_TEST(dump_json(callback_body(n, wf, true)) == R"({"activity":)" + node + "}");
}

BOOST_AUTO_TEST_CASE(notification_body_and_the_e_rule) {
  const Workflow wf = workflow();
  Node n = sent_decision(wf);
  n.server_status = ServerStatus::retries_exhausted;
  n.client_status = ClientStatus::errored;
  const std::string prefix =
      R"({"activity":)" + node_text("null", "retries_exhausted", "errored") +
      R"(,"notification":{"name":"node-000000000001","message":"Client Error"},"error":)";
  const auto body = [&](const json& e) {
    return dump_json(notification_body(n, wf, "Client Error", e));
  };
  BOOST_TEST(body(json::parse(R"({"error_code":3})")) == prefix + R"({"error_code":3}})");
  BOOST_TEST(body("HTTP request for activity failed") ==
             prefix + R"({"message":"HTTP request for activity failed"}})");
  BOOST_TEST(body(nullptr) == prefix + "{}}");
  BOOST_TEST(body(json::array({1, 2})) == prefix + "{}}");
  BOOST_TEST(body(42) == prefix + "{}}");
  BOOST_TEST(body(json::object()) == prefix + "{}}");
}

BOOST_AUTO_TEST_CASE(status_change_fields_and_order) {
  StatusChange sc;
  sc.node_id = id("000000000001");
  sc.type = StatusType::client;
  sc.from_status = "received";
  sc.to_status = "errored";
  sc.response = R"({"error":{"error_code":3}})";
  sc.created_at = kT;
  const std::string tail =
      R"(,"response":{"error":{"error_code":3}},"createdAt":"2016-03-02T17:04:05.123Z"})";
  BOOST_TEST(dump_json(present_status_change(sc)) ==
             R"({"nodeId":"00000000-0000-4000-8000-000000000001","fromStatus":"received",)"
             R"("toStatus":"errored","statusType":"current_client_status")" +
                 tail);
  sc.type = StatusType::server;
  BOOST_TEST(present_status_change(sc)["statusType"].get<std::string>() == "current_server_status");
}

BOOST_AUTO_TEST_CASE(user_fields_token_only_when_asked) {
  User u;
  u.id = id("0000000000f1");
  u.name = "alice";
  u.activity_endpoint = "http://a/activity";
  u.notification_endpoint = "http://a/notify";
  const std::string base =
      R"({"id":")" + kUser +
      R"(","name":"alice","decisionEndpoint":null,"activityEndpoint":"http://a/activity",)"
      R"("notificationEndpoint":"http://a/notify")";
  BOOST_TEST(dump_json(present_user(u)) == base + "}");
  BOOST_TEST(dump_json(present_user(u, "secret")) == base + R"(,"authToken":"secret"})");
}

BOOST_AUTO_TEST_CASE(error_bodies) {
  using backbeat::Error;
  BOOST_TEST(
      dump_json(error_body(backbeat::make_error(Error::Kind::bad_request, "name is missing"))) ==
      R"({"errorClass":"Backbeat::BadRequest","message":"name is missing"})");
  Error conflict =
      backbeat::make_error(Error::Kind::invalid_client_status_change,
                           "Cannot transition current_client_status from ready to complete");
  conflict.details = {{"current_status", "ready"}, {"attempted_status", "complete"}};
  BOOST_TEST(
      dump_json(error_body(conflict)) ==
      R"({"errorClass":"Backbeat::InvalidClientStatusChange","message":"Cannot transition )"
      R"(current_client_status from ready to complete","currentStatus":"ready",)"
      R"("attemptedStatus":"complete"})");
  BOOST_TEST(dump_json(error_body(backbeat::make_error(Error::Kind::unauthorized, "no token"))) ==
             R"({"error":"Unauthorized"})");
}

BOOST_AUTO_TEST_SUITE_END()
