// Draining a member (docs/cluster.md, "Removing a member"): the request runs
// on the member named in the path, whichever gateway it arrived at.
#include <boost/test/unit_test.hpp>

#include "tests/actors/loopback_cluster.hpp"

namespace backbeat::test {

using namespace loopback;

BOOST_FIXTURE_TEST_SUITE(drain_route, Cluster)

BOOST_AUTO_TEST_CASE(drain_runs_on_the_named_member_from_any_gateway) {
  net.take_trail();
  Reply here = ask(n2, "PUT", "/admin/cluster/members/n2/drain", nullptr, kAdmin);
  BOOST_TEST(here.status == 200, here.raw.body);
  BOOST_TEST(here.body == (json{{"member", "n2"}, {"draining", true}}));
  BOOST_TEST((net.take_trail() == std::vector<std::string>{"n2 draining"}));

  Reply there = ask(n1, "DELETE", "/admin/cluster/members/n2/drain", nullptr, kAdmin);
  BOOST_TEST(there.status == 200, there.raw.body);
  BOOST_TEST(there.body == (json{{"member", "n2"}, {"draining", false}}));
  const auto trail = net.take_trail();
  BOOST_TEST_REQUIRE(trail.size() == 2u);
  BOOST_TEST(trail[0].rfind("n1 forward", 0) == 0, trail[0]);
  BOOST_TEST(trail[1] == "n2 not draining");
}

BOOST_AUTO_TEST_CASE(bad_drain_requests_get_clear_errors) {
  Reply unknown = ask(n1, "PUT", "/admin/cluster/members/n9/drain", nullptr, kAdmin);
  BOOST_TEST(unknown.status == 404, unknown.raw.body);
  BOOST_TEST(unknown.body["errorClass"] == "Backbeat::UnknownMember");
  // Users are not operators.
  BOOST_TEST(ask(n1, "PUT", "/admin/cluster/members/n1/drain").status == 401);
  BOOST_TEST(ask(n1, "POST", "/admin/cluster/members/n1/drain", nullptr, kAdmin).status == 404);

  net.down.insert("n2");
  Reply down = ask(n1, "PUT", "/admin/cluster/members/n2/drain", nullptr, kAdmin);
  BOOST_TEST(down.status == 503, down.raw.body);
  BOOST_TEST(!down.header("Retry-After").empty());
  net.down.clear();

  // A forwarded request that reached the wrong member is not run there.
  Reply misrouted = ask(n1, "PUT", "/admin/cluster/members/n2/drain", nullptr,
                        {kAdmin[0], {actors::kForwardedHeader, "n2 1"}});
  BOOST_TEST(misrouted.status == 503, misrouted.raw.body);
  BOOST_TEST(net.take_trail().empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
