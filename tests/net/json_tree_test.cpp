#include <boost/test/unit_test.hpp>

#include "net/contract/json_presenters.hpp"
#include "net/contract/json_text.hpp"
#include "tests/net/json_fixtures.hpp"

using namespace json_fixtures;
using namespace backbeat::contract;

namespace {

const std::string kCamelSubject = R"({"orderId":5,"lineItems":[{"skuCode":"x"}],"b":1,"a":2})";

Node child(const char* last12, const Workflow& wf, const Node& parent) {
  Node n = node(last12, wf);
  n.parent_id = parent.id;
  return n;
}

// Ids of the tree in pre-order, with depth, e.g. "0:wf 1:s1 2:a1".
void outline(const OrderedJson& item, int depth, std::string& out) {
  out += (out.empty() ? "" : " ") + std::to_string(depth) + ":" +
         item["id"].get<std::string>().substr(33);
  for (const auto& c : item["children"]) outline(c, depth + 1, out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_tree)

BOOST_AUTO_TEST_CASE(exact_shape_of_a_small_tree) {
  const Workflow wf = workflow();
  Node s1 = node("000000000001", wf);
  s1.server_status = ServerStatus::retrying;
  s1.client_status = ClientStatus::errored;
  s1.fires_at = kT + 60'000;
  s1.mode = Mode::blocking;
  Node a1 = child("000000000002", wf, s1);
  a1.fires_at = kT;  // not retrying: no retryingAt
  a1.mode = Mode::non_blocking;
  const std::string wf_id = "00000000-0000-4000-8000-00000000000a";
  const std::string user = "00000000-0000-4000-8000-0000000000f1";
  const std::string expected =
      R"({"id":")" + wf_id + R"(","name":"export","userId":")" + user + R"(","subject":)" +
      kCamelSubject +
      R"(,"mode":null,"currentServerStatus":null,"currentClientStatus":null,)"
      R"("createdAt":"2016-03-02T17:04:05.123Z","retryingAt":null,"children":[)"
      R"({"id":"00000000-0000-4000-8000-000000000001","name":"node-000000000001","userId":")" +
      user + R"(","subject":)" + kCamelSubject +
      R"(,"mode":"blocking","currentServerStatus":"retrying","currentClientStatus":"errored",)"
      R"("createdAt":"2016-03-02T17:04:05.124Z","retryingAt":"2016-03-02T17:05:05.123Z",)"
      R"("children":[)"
      R"({"id":"00000000-0000-4000-8000-000000000002","name":"node-000000000002","userId":")" +
      user + R"(","subject":)" + kCamelSubject +
      R"(,"mode":"non_blocking","currentServerStatus":"pending","currentClientStatus":"pending",)"
      R"("createdAt":"2016-03-02T17:04:05.124Z","retryingAt":null,"children":[]}]}]})";
  BOOST_TEST(dump_json(present_tree(wf, {s1, a1})) == expected);
}

BOOST_AUTO_TEST_CASE(children_nest_by_parent_in_seq_order) {
  const Workflow wf = workflow();
  const Node s1 = node("0000000000c1", wf);
  const Node a1 = child("0000000000a1", wf, s1);
  const Node s2 = node("0000000000c2", wf);
  const Node a2 = child("0000000000a2", wf, s1);
  const Node b1 = child("0000000000b1", wf, a1);
  Node orphan = node("0000000000ff", wf);
  orphan.parent_id = id("0000000000ee");
  std::string got;
  outline(present_tree(wf, {s1, a1, s2, a2, b1, orphan}), 0, got);
  BOOST_TEST(got == "0:00a 1:0c1 2:0a1 3:0b1 2:0a2 1:0c2");
}

BOOST_AUTO_TEST_CASE(empty_workflow_and_unparsable_subject) {
  Workflow wf = workflow();
  wf.subject = "{broken";
  const OrderedJson tree = present_tree(wf, {});
  BOOST_TEST(tree["children"].dump() == "[]");
  BOOST_TEST(tree["subject"].dump() == R"("{broken")");
}

BOOST_AUTO_TEST_CASE(print_colours_and_indentation) {
  const Workflow wf = workflow();
  Node s1 = node("000000000001", wf);  // pending/pending -> yellow
  Node a1 = child("000000000002", wf, s1);
  a1.server_status = ServerStatus::complete;
  a1.client_status = ClientStatus::complete;  // green
  Node a2 = child("000000000003", wf, s1);
  a2.client_status = ClientStatus::errored;  // red
  Node s2 = node("000000000004", wf);
  s2.server_status = ServerStatus::ready;
  s2.client_status = ClientStatus::ready;  // white
  Node s3 = node("000000000005", wf);
  s3.server_status = ServerStatus::deactivated;  // white
  const std::string p = "00000000-0000-4000-8000-";
  const std::string expected = "\n" + p + "00000000000a\x1b[36m|--\x1b[0mexport" + "\n" + p +
                               "000000000001\x1b[36m   |--\x1b[0m\x1b[33mnode-000000000001 - "
                               "server: pending, client: pending\x1b[0m" +
                               "\n" + p +
                               "000000000002\x1b[36m      |--\x1b[0m\x1b[32mnode-000000000002 - "
                               "server: complete, client: complete\x1b[0m" +
                               "\n" + p +
                               "000000000003\x1b[36m      |--\x1b[0m\x1b[31mnode-000000000003 - "
                               "server: pending, client: errored\x1b[0m" +
                               "\n" + p +
                               "000000000004\x1b[36m   |--\x1b[0m\x1b[37mnode-000000000004 - "
                               "server: ready, client: ready\x1b[0m" +
                               "\n" + p +
                               "000000000005\x1b[36m   |--\x1b[0m\x1b[37mnode-000000000005 - "
                               "server: deactivated, client: pending\x1b[0m";
  const OrderedJson printed = present_tree_print(wf, {s1, a1, a2, s2, s3});
  BOOST_TEST(printed.size() == 1u);
  BOOST_TEST(printed["print"].get<std::string>() == expected);
}

BOOST_AUTO_TEST_SUITE_END()
