#include <boost/test/unit_test.hpp>

#include <tuple>

#include "runtime/operator_cli.hpp"

namespace backbeat::runtime::test {

BOOST_AUTO_TEST_SUITE(operator_commands)

BOOST_AUTO_TEST_CASE(each_command_becomes_one_api_call) {
  auto add = parse_operator_command({"users", "add", "acct", "http://c/a", "--notification-endpoint",
                                     "http://c/n", "--url", "http://127.0.0.1:1"});
  BOOST_REQUIRE(add.ok());
  BOOST_TEST(add->method == "POST");
  BOOST_TEST(add->target == "/users");
  BOOST_TEST(add->url == "http://127.0.0.1:1");
  BOOST_TEST(add->body.find("\"notification_endpoint\":\"http://c/n\"") != std::string::npos);

  auto tree = parse_operator_command({"tree", "u1", "w1"});
  BOOST_REQUIRE(tree.ok());
  BOOST_TEST(tree->target == "/workflows/w1/tree/print");
  BOOST_TEST(tree->act_as == "u1");
  BOOST_TEST(tree->print_field == "print");

  auto restart = parse_operator_command({"restart", "u1", "n1"});
  BOOST_REQUIRE(restart.ok());
  BOOST_TEST(restart->method == "PUT");
  BOOST_TEST(restart->target == "/activities/n1/restart");

  auto drain = parse_operator_command({"drain", "on"});
  BOOST_REQUIRE(drain.ok());
  BOOST_TEST(drain->body == R"({"draining":true})");
  BOOST_TEST(parse_operator_command({"drain", "status"})->method == "GET");
  auto sweep = parse_operator_command({"retention", "sweep"});
  BOOST_REQUIRE(sweep.ok());
  BOOST_TEST(sweep->method == "POST");
  BOOST_TEST(sweep->target == "/admin/retention/sweep");
  BOOST_TEST(parse_operator_command({"retention", "status"})->target == "/admin/retention");
  BOOST_TEST(!parse_operator_command({"retention", "now"}).ok());
  BOOST_TEST(is_operator_command("retention"));
  BOOST_TEST(parse_operator_command({"errored"})->target == "/admin/errored");
  BOOST_TEST(parse_operator_command({"users", "list"})->target == "/users");
  auto leave = parse_operator_command({"cluster", "drain", "n4"});
  BOOST_REQUIRE(leave.ok());
  BOOST_TEST(leave->method == "PUT");
  BOOST_TEST(leave->target == "/admin/cluster/members/n4/drain");
  BOOST_TEST(parse_operator_command({"cluster", "undrain", "n4"})->method == "DELETE");
  BOOST_TEST(!parse_operator_command({"cluster", "drain"}).ok());
}

BOOST_AUTO_TEST_CASE(user_management_maps_to_the_admin_routes) {
  const std::vector<std::tuple<std::vector<std::string>, std::string, std::string>> cases = {
      {{"users", "grant", "a", "b"}, "PUT", "/users/a/grants/b"},
      {{"users", "revoke", "a", "b"}, "DELETE", "/users/a/grants/b"},
      {{"users", "grants", "a"}, "GET", "/users/a/grants"},
      {{"users", "token", "a"}, "POST", "/users/a/token"},
      {{"users", "disable", "a"}, "PUT", "/users/a/disabled"},
      {{"users", "enable", "a"}, "DELETE", "/users/a/disabled"},
  };
  for (const auto& [args, method, target] : cases) {
    auto r = parse_operator_command(args);
    BOOST_REQUIRE(r.ok());
    BOOST_TEST(r->method == method);
    BOOST_TEST(r->target == target);
    BOOST_TEST(r->token_file == "./data/admin-token");
  }
  BOOST_TEST(!parse_operator_command({"users", "grant", "a"}).ok());
  BOOST_TEST(!parse_operator_command({"users", "disable"}).ok());
  auto file = parse_operator_command({"users", "list", "--token-file", "/x/admin-token"});
  BOOST_REQUIRE(file.ok());
  BOOST_TEST(file->token_file == "/x/admin-token");
}

BOOST_AUTO_TEST_CASE(bad_usage_is_refused) {
  BOOST_TEST(!parse_operator_command({"users"}).ok());
  BOOST_TEST(!parse_operator_command({"users", "add", "only-name"}).ok());
  BOOST_TEST(!parse_operator_command({"drain", "maybe"}).ok());
  BOOST_TEST(!parse_operator_command({"tree", "u1"}).ok());
  BOOST_TEST(!parse_operator_command({"restart", "u1", "n1", "--bogus", "x"}).ok());
  BOOST_TEST(!parse_operator_command({"drain", "on", "--url"}).ok());
  BOOST_TEST(is_operator_command("drain"));
  BOOST_TEST(!is_operator_command("serve"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::runtime::test
