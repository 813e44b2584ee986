// Search, names and the debug error listing through the real binary
// (docs/contract.md §12.1, §12.2, §9.1, §9.3, §19).
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;

namespace {

std::string enc(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(char(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::vector<std::string> ids(const Json& list) {
  std::vector<std::string> out;
  for (const Json& x : list) out.push_back(x.at("id").get<std::string>());
  return out;
}

std::set<std::string> id_set(const Json& list) {
  auto v = ids(list);
  return {v.begin(), v.end()};
}

// Newest first, then id descending; ISO-8601 ms UTC text sorts like time.
bool newest_first(const Json& list) {
  for (size_t i = 1; i < list.size(); ++i) {
    const std::string a = list[i - 1]["createdAt"], b = list[i]["createdAt"];
    const std::string ia = list[i - 1]["id"], ib = list[i]["id"];
    if (a < b || (a == b && ia <= ib)) return false;
  }
  return true;
}

Json ok_json(const TestResponse& r) {
  BOOST_REQUIRE_MESSAGE(r.status == 200, std::to_string(r.status) + " " + r.body);
  return r.json();
}

// Signals a workflow, takes the decision callback and reports `status` on it.
std::string errored_signal(ClientService& c, const std::string& wf, const std::string& name,
                           const Json& metadata) {
  auto signal = c.post("/workflows/" + wf + "/signal/" + name,
                       {{"retry", 0}, {"options", {{"metadata", metadata}}}});
  BOOST_REQUIRE_EQUAL(signal.status, 201);
  const std::string node = signal.json()["id"];
  BOOST_REQUIRE(c.next_callback("/decision")["decision"]["id"] == node);
  BOOST_REQUIRE_EQUAL(c.put("/activities/" + node + "/status/errored").status, 200);
  c.next_callback("/notification");
  return node;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(search)

BOOST_AUTO_TEST_CASE(workflow_and_activity_search_filters) {
  BackbeatServer server;
  server.start();
  ClientService alice(server, "alice");
  ClientService bob(server, "bob");
  const std::string order1 = alice.workflow("order", Json{{"orderId", 1}});
  const std::string order2 = alice.workflow("order", Json{{"orderId", 2}});
  const std::string refund = alice.workflow("refund", Json{{"orderId", 1}});
  const std::string empty = alice.workflow("idle", "nothing");  // never gets a node
  const std::string bobs = bob.workflow("order", Json{{"orderId", 1}});

  // No parameters: the first page of everything of the user, nodes or not.
  Json all = ok_json(alice.get("/workflows/search"));
  BOOST_TEST((id_set(all) == std::set<std::string>{order1, order2, refund, empty}));
  BOOST_TEST(newest_first(all));
  BOOST_TEST((id_set(ok_json(bob.get("/v2/workflows/search"))) == std::set<std::string>{bobs}));

  BOOST_TEST((id_set(ok_json(alice.get("/workflows/search?name=order"))) ==
              std::set<std::string>{order1, order2}));
  // Subject keys were underscored on input; the search is on the stored text.
  BOOST_TEST((id_set(ok_json(alice.get("/workflows/search?subject=" + enc("\"order_id\":1")))) ==
              std::set<std::string>{order1, refund}));
  BOOST_TEST((ids(ok_json(alice.get("/workflows/search?name=order&subject=" + enc("\"order_id\":2")))) ==
              std::vector<std::string>{order2}));

  // Statuses: order1 gets an errored node, refund a node waiting to be sent.
  const std::string bad = errored_signal(alice, order1, "charge", {{"tag", "urgent"}});
  auto later = alice.post("/workflows/" + refund + "/signal/later",
                          {{"fires_at", "2100-01-01T00:00:00Z"}});
  BOOST_REQUIRE_EQUAL(later.status, 201);
  const std::string waiting = later.json()["id"];
  BOOST_REQUIRE(alice.wait_status(waiting, "started/ready"));
  errored_signal(bob, bobs, "charge", Json::object());

  BOOST_TEST((ids(ok_json(alice.get("/workflows/search?current_status=errored"))) ==
              std::vector<std::string>{order1}));
  // Query keys are normalised: camelCase works too (docs/contract.md §2.2).
  BOOST_TEST((ids(ok_json(alice.get("/workflows/search?currentStatus=errored"))) ==
              std::vector<std::string>{order1}));
  // Server OR client status: retries_exhausted is order1's server status.
  BOOST_TEST((ids(ok_json(alice.get("/workflows/search?current_status=retries_exhausted"))) ==
              std::vector<std::string>{order1}));
  BOOST_TEST((ids(ok_json(alice.get("/workflows/search?current_status=ready"))) ==
              std::vector<std::string>{refund}));
  BOOST_TEST(ok_json(alice.get("/workflows/search?current_status=received")).empty());
  BOOST_TEST((ids(ok_json(alice.get("/workflows/search?past_status=received"))) ==
              std::vector<std::string>{order1}));
  BOOST_TEST((ids(ok_json(alice.get("/workflows/search?pastStatus=errored&name=order"))) ==
              std::vector<std::string>{order1}));
  BOOST_TEST(ok_json(alice.get("/workflows/search?past_status=errored&name=refund")).empty());

  // Time ranges: on some status change; with past_status, on that same change.
  const std::string since = "status_start=" + enc("2000-01-01T00:00:00Z");
  const std::string until_old = "status_end=" + enc("2000-01-02T00:00:00.000Z");
  BOOST_TEST((id_set(ok_json(alice.get("/workflows/search?" + since))) ==
              std::set<std::string>{order1, refund}));
  BOOST_TEST(ok_json(alice.get("/workflows/search?" + until_old)).empty());
  BOOST_TEST((ids(ok_json(alice.get("/workflows/search?past_status=errored&" + since +
                                    "&status_end=" + enc("2100-01-01T00:00:00+01:00")))) ==
              std::vector<std::string>{order1}));
  BOOST_TEST(ok_json(alice.get("/workflows/search?past_status=errored&status_start=" +
                               enc("2099-01-01T00:00:00Z"))).empty());

  // Activities: the user's nodes.
  Json errored = ok_json(alice.get("/activities/search?current_status=errored"));
  BOOST_TEST((ids(errored) == std::vector<std::string>{bad}));
  BOOST_TEST(errored[0]["workflowId"] == order1);
  BOOST_TEST(errored[0]["workflowName"] == "order");
  BOOST_TEST(errored[0]["metadata"]["tag"] == "urgent");
  BOOST_TEST((ids(ok_json(alice.get("/v2/events/search?metadata=urgent"))) ==
              std::vector<std::string>{bad}));
  BOOST_TEST((ids(ok_json(alice.get("/activities/search?name=later"))) ==
              std::vector<std::string>{waiting}));
  BOOST_TEST((ids(ok_json(alice.get("/activities/search?pastStatus=errored&" + since))) ==
              std::vector<std::string>{bad}));
  BOOST_TEST(ok_json(alice.get("/activities/search?name=charge&current_status=ready")).empty());
  Json nodes = ok_json(alice.get("/activities/search"));
  BOOST_TEST((id_set(nodes) == std::set<std::string>{bad, waiting}));
  BOOST_TEST(newest_first(nodes));

  // Another user's data never appears.
  for (const std::string q : {"/workflows/search?current_status=errored", "/activities/search",
                               "/workflows/search?name=refund", "/activities/search?name=later"}) {
    for (const Json& x : ok_json(bob.get(q))) BOOST_TEST(x["userId"] == bob.id());
  }
  BOOST_TEST(ok_json(bob.get("/activities/search?metadata=urgent")).empty());
}

BOOST_AUTO_TEST_CASE(paging_is_stable_and_complete) {
  BackbeatServer server;
  server.start();
  ClientService c(server, "pager");
  std::set<std::string> created;
  for (int i = 0; i < 13; ++i) created.insert(c.workflow("batch", Json{{"n", i}}));
  const Json everything = ok_json(c.get("/workflows/search?per_page=1000"));
  BOOST_TEST_REQUIRE(everything.size() == 13u);
  BOOST_TEST(id_set(everything) == created);
  BOOST_TEST(newest_first(everything));
  BOOST_TEST(ok_json(c.get("/workflows/search")).size() == 13u);  // default 25

  std::vector<std::string> by_page;
  for (int p = 1; p <= 4; ++p) {
    Json page = ok_json(c.get("/workflows/search?name=batch&per_page=4&page=" + std::to_string(p)));
    BOOST_TEST(page.size() == (p < 4 ? 4u : 1u));
    for (auto& id : ids(page)) by_page.push_back(id);
  }
  BOOST_TEST(by_page == ids(everything));

  // Keyset paging, with a new workflow arriving mid-walk: it is newer than
  // every row already read, so the walk neither repeats nor skips any.
  std::vector<std::string> by_key;
  std::string last;
  for (int guard = 0; guard < 20; ++guard) {
    Json page = ok_json(c.get("/workflows/search?perPage=4" + (last.empty() ? "" : "&lastId=" + last)));
    if (page.empty()) break;
    for (auto& id : ids(page)) by_key.push_back(id);
    last = page.back()["id"];
    if (guard == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // strictly newer
      c.workflow("batch", Json{{"n", 99}});
    }
  }
  BOOST_TEST(by_key == ids(everything));
  BOOST_TEST(ok_json(c.get("/workflows/search?last_id=00000000-0000-4000-8000-000000000000")).empty());

  // Bad paging input is a 400 naming the field.
  for (const std::string q : {"per_page=0", "per_page=1001", "per_page=abc", "page=0", "last_id=nope"}) {
    auto r = c.get("/workflows/search?" + q);
    BOOST_CHECK_MESSAGE(r.status == 400, q);
    BOOST_CHECK_MESSAGE(r.json()["message"].get<std::string>().find(q.substr(0, q.find('='))) !=
                            std::string::npos,
                        q + ": " + r.body);
  }
}

BOOST_AUTO_TEST_CASE(bad_parameters_names_and_debug_listing) {
  BackbeatServer server;
  server.start();
  ClientService alice(server, "alice");
  ClientService bob(server, "bob");
  const std::string wf = alice.workflow("zeta", Json{{"k", 1}});
  alice.workflow("alpha", Json{{"k", 1}});
  alice.workflow("alpha", Json{{"k", 2}});
  bob.workflow("beta", "x");

  auto unknown = alice.get("/workflows/search?name=alpha&bogus=1");
  BOOST_TEST(unknown.status == 400);
  BOOST_TEST(unknown.json()["message"].get<std::string>().find("bogus") != std::string::npos);
  BOOST_TEST(alice.get("/activities/search?subject=x").status == 400);  // not an activity filter
  BOOST_TEST(alice.get("/workflows/search?metadata=x").status == 400);
  auto bad_time = alice.get("/workflows/search?status_start=yesterday");
  BOOST_TEST(bad_time.status == 400);
  BOOST_TEST(bad_time.json()["message"].get<std::string>().find("status_start") != std::string::npos);
  BOOST_TEST(alice.get("/v2/events/search?statusEnd=2016-13-01").status == 400);
  BOOST_TEST(server.request("GET", "/workflows/search").status == 401);

  BOOST_TEST(ok_json(alice.get("/workflows/names")) == Json({"alpha", "zeta"}));
  BOOST_TEST(ok_json(alice.get("/v2/workflows/names")) == Json({"alpha", "zeta"}));
  BOOST_TEST(ok_json(bob.get("/workflows/names")) == Json({"beta"}));

  BOOST_TEST(ok_json(alice.get("/v2/debug/error_workflows")).empty());
  errored_signal(alice, wf, "go", Json::object());
  Json listed = ok_json(alice.get("/v2/debug/error_workflows"));
  BOOST_TEST_REQUIRE(listed.size() == 1u);
  const Json& raw = listed[0];
  BOOST_TEST(raw["id"] == wf);
  BOOST_TEST(raw["name"] == "zeta");
  BOOST_TEST(raw["decider"] == "TestDecider");
  BOOST_TEST(raw["subject"] == Json({{"k", 1}}));
  BOOST_TEST(raw["user_id"] == alice.id());
  BOOST_TEST(raw["migrated"] == true);
  BOOST_TEST(raw["complete"] == false);
  BOOST_TEST(raw["paused"] == false);
  BOOST_TEST(raw["created_at"].get<std::string>().size() == 24u);  // ISO-8601 with ms
  BOOST_TEST(raw["updated_at"].is_string());
  BOOST_TEST(raw.size() == 10u);
  BOOST_TEST(ok_json(bob.get("/v2/debug/error_workflows")).empty());
  BOOST_TEST(alice.get("/debug/error_workflows").status == 404);  // only under /v2
}

BOOST_AUTO_TEST_SUITE_END()
