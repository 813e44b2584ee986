#include <boost/test/unit_test.hpp>

#include "tests/support/fake_endpoint.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::test {
namespace {

using namespace std::chrono_literals;

ServerProcessOptions shell(const TempDir& dir, std::string script,
                           std::vector<std::pair<std::string, std::string>> env = {}) {
  ServerProcessOptions o;
  o.binary = "/bin/sh";
  o.args = {"-c", std::move(script)};
  o.env = std::move(env);
  o.log_dir = dir.path();
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_support)

BOOST_AUTO_TEST_CASE(fake_endpoint_records_and_wait_for_keeps_the_rest) {
  FakeEndpoint endpoint;
  BOOST_TEST(endpoint.url("x") == "http://127.0.0.1:" + std::to_string(endpoint.port()) + "/x");
  BOOST_TEST(http_request("127.0.0.1", endpoint.port(), "POST", "/one", "1").status == 200);
  BOOST_TEST(http_request("127.0.0.1", endpoint.port(), "POST", "/two", "2").status == 200);

  auto two = endpoint.wait_for([](const net::HttpRequest& r) { return r.path() == "/two"; });
  BOOST_REQUIRE(two);
  BOOST_TEST(two->body == "2");
  BOOST_TEST(!endpoint.wait_for([](const net::HttpRequest& r) { return r.path() == "/two"; }, 0ms));
  auto one = endpoint.wait_for([](const net::HttpRequest&) { return true; }, 0ms);
  BOOST_REQUIRE(one);
  BOOST_TEST(one->path() == "/one");
  BOOST_TEST(endpoint.received().size() == 2u);
}

BOOST_AUTO_TEST_CASE(fake_endpoint_hook_runs_before_the_answer_and_may_call_out) {
  // As real clients do: call the service back before answering its POST.
  FakeEndpoint service, client;
  client.set_before_response([&](const net::HttpRequest&) {
    http_request("127.0.0.1", service.port(), "PUT", "/processing", "{}");
  });
  client.set_handler([](const net::HttpRequest&) { return net::HttpResponse{201, "text/plain", "ok", {}}; });
  auto r = http_request("127.0.0.1", client.port(), "POST", "/perform", "{}");
  BOOST_TEST(r.status == 201);
  BOOST_TEST(r.body == "ok");
  BOOST_TEST(service.received().size() == 1u);  // already there when the answer came
}

BOOST_AUTO_TEST_CASE(server_process_reports_where_it_listens) {
  TempDir dir;
  ServerProcess p(shell(dir, "echo starting; echo token=$TOKEN; echo listening on http://127.0.0.1:1234; "
                             "echo oops >&2; exec sleep 30",
                        {{"TOKEN", "s3cret"}}));
  BOOST_REQUIRE_MESSAGE(p.start(), p.log());
  BOOST_TEST(p.host() == "127.0.0.1");
  BOOST_TEST(p.port() == 1234);
  BOOST_TEST(p.url("/x") == "http://127.0.0.1:1234/x");
  auto token = p.wait_for_line(std::regex("token=(\\w+)"));
  BOOST_REQUIRE(token.size() == 2u);
  BOOST_TEST(token[1] == "s3cret");
  BOOST_TEST(!p.wait_for_line(std::regex("oops")).empty());
  BOOST_TEST(p.running());
  p.kill(SIGTERM);
  BOOST_TEST(p.wait() == -SIGTERM);
  BOOST_TEST(!p.running());
  BOOST_TEST(p.log().find("starting") != std::string::npos);
  BOOST_TEST(std::filesystem::file_size(p.log_path()) > 0u);
}

BOOST_AUTO_TEST_CASE(server_process_kills_its_children_too) {
  TempDir dir;
  // The background sleep shares the output pipe, so the output only ends
  // once it is dead as well.
  ServerProcess p(shell(dir, "sleep 30 & echo listening on http://127.0.0.1:1; wait"));
  BOOST_REQUIRE_MESSAGE(p.start(), p.log());
  BOOST_TEST(!p.wait_output_closed(0ms));
  p.kill();
  BOOST_TEST(p.wait() == -SIGKILL);
  BOOST_TEST(p.wait_output_closed());
}

BOOST_AUTO_TEST_CASE(server_process_that_exits_early_fails_to_start) {
  TempDir dir;
  ServerProcess p(shell(dir, "echo bad config; exit 3"));
  BOOST_TEST(!p.start());
  BOOST_TEST(p.wait() == 3);
  BOOST_TEST(p.log().find("bad config") != std::string::npos);

  ServerProcessOptions missing;
  missing.binary = dir.str() + "/no-such-binary";
  missing.log_dir = dir.path();
  ServerProcess q(missing);
  BOOST_TEST(!q.start());
  BOOST_TEST(q.log().find("cannot run") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(server_process_silent_start_times_out) {
  TempDir dir;
  ServerProcess p(shell(dir, "exec sleep 30"));
  BOOST_TEST(!p.start(200ms));
  BOOST_TEST(p.running());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
