// The http built-in against a real endpoint on loopback, through a real
// HttpClient and EndpointGate: what it sends, what it makes of the answer,
// and the requests it refuses to make at all.
#include <boost/test/unit_test.hpp>

#include <optional>

#include "actors/activity/builtins.hpp"
#include "tests/support/activity_harness.hpp"
#include "tests/support/fake_endpoint.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::test {
namespace {

using activity::HttpActivity;
using activity::Json;

// What the http type says of a URL it may not call.
std::string refused(const std::string& url, bool none_allowed = false) {
  return "client_data.url " + url + " is not an http(s) URL this server may call "
         "(activities.http_allowed_urls" + (none_allowed ? " is empty)" : ")");
}

struct HttpFixture {
  FakeEndpoint endpoint;
  HttpEnv net;  // after the endpoint: its client stops first

  // The endpoint is on loopback: allowed only by an entry naming its address.
  std::string host() const { return "http://127.0.0.1:" + std::to_string(endpoint.port()); }
  ActivityRun call(Json client_data, std::optional<std::vector<std::string>> allowed = {}) {
    return run_activity<HttpActivity>(make_job(std::move(client_data)),
                                      net.env(allowed ? std::move(*allowed)
                                                      : std::vector<std::string>{host()}));
  }
  void answer(int status, std::string body) {
    endpoint.set_handler([status, body](const net::HttpRequest&) {
      return net::HttpResponse{status, "application/json", body, {}};
    });
  }
  // The one request the endpoint received.
  net::HttpRequest only_request() const {
    const auto all = endpoint.received();
    BOOST_TEST_REQUIRE(all.size() == 1u);
    return all[0];
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(http_activity, HttpFixture)

BOOST_AUTO_TEST_CASE(a_2xx_completes_with_status_and_parsed_body) {
  answer(200, R"({"charge_id":7})");
  const ActivityRun run = call({{"url", endpoint.url("charge")},
                                {"headers", {{"X-Key", "k1"}}},
                                {"body", {{"cents", 1650}}}});
  BOOST_TEST(completed_response(run) == Json::parse(R"({"status":200,"body":{"charge_id":7}})"));
  BOOST_TEST(run.progress_reports == 1);  // the call may be long: the deadline restarts
  const net::HttpRequest sent = only_request();
  BOOST_TEST(sent.method == "POST");
  BOOST_TEST(sent.path() == "/charge");
  BOOST_TEST(sent.header("X-Key") == "k1");
  BOOST_TEST(sent.header("Content-Type") == "application/json");
  BOOST_TEST(Json::parse(sent.body) == Json::parse(R"({"cents":1650})"));
}

BOOST_AUTO_TEST_CASE(the_body_defaults_to_the_whole_client_data) {
  const Json data = {{"url", endpoint.url("hook")}, {"method", "PUT"}, {"order", 42}};
  completed_response(call(data));
  const net::HttpRequest sent = only_request();
  BOOST_TEST(sent.method == "PUT");
  BOOST_TEST(Json::parse(sent.body) == data);
}

BOOST_AUTO_TEST_CASE(a_body_that_is_not_json_is_kept_as_text) {
  answer(201, "created, thanks");
  BOOST_TEST(completed_response(call({{"url", endpoint.url("x")}})) ==
             Json::parse(R"({"status":201,"body":"created, thanks"})"));
}

BOOST_AUTO_TEST_CASE(get_and_delete_send_no_body) {
  for (const char* method : {"GET", "DELETE"}) {
    BOOST_TEST_CONTEXT(method) {
      HttpFixture f;
      completed_response(f.call(
          {{"url", f.endpoint.url("items/1")}, {"method", method}, {"body", {{"ignored", 1}}}}));
      const net::HttpRequest sent = f.only_request();
      BOOST_TEST(sent.method == method);
      BOOST_TEST(sent.body.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(an_error_status_errors_with_status_and_body) {
  answer(500, R"({"why":"down"})");
  const std::string url = endpoint.url("charge");
  const ActivityRun run = call({{"url", url}});
  BOOST_TEST(error_message(run) == "POST " + url + " answered 500");
  const Json& error = run.outcome->response["error"];
  BOOST_TEST(error["status"] == 500);
  BOOST_TEST(error["body"] == Json::parse(R"({"why":"down"})"));
}

BOOST_AUTO_TEST_CASE(a_refused_connection_errors) {
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/x";
  const std::string message = error_message(call({{"url", url}}, {{url}}));
  BOOST_TEST(message.rfind("Could not POST " + url + ": ", 0) == 0u, message);
}

BOOST_AUTO_TEST_CASE(urls_outside_the_allowed_prefixes_are_never_called) {
  const std::vector<std::string> allowed{endpoint.url("partners/"), "https://api.example/"};
  for (const std::string& url : {endpoint.url("internal/admin"), endpoint.url("partner")})
    BOOST_TEST(error_message(call({{"url", url}}, allowed)) == refused(url));
  // "*" is any http(s) URL, nothing else.
  for (const std::string url : {"ftp://127.0.0.1/x", "file:///etc/passwd"})
    BOOST_TEST(error_message(call({{"url", url}}, {{"*"}})) == refused(url));
  // Nothing is allowed by default.
  const ActivityRun none = call({{"url", endpoint.url("x")}}, std::vector<std::string>{});
  BOOST_TEST(error_message(none) == refused(endpoint.url("x"), true));
  BOOST_TEST(none.progress_reports == 0);
  BOOST_TEST(endpoint.received().empty());
  completed_response(call({{"url", endpoint.url("partners/acme")}}, allowed));
  BOOST_TEST(only_request().path() == "/partners/acme");
}

// Found by these tests: each of these URLs starts with an allowed prefix,
// yet curl sent it somewhere else.
BOOST_AUTO_TEST_CASE(urls_that_leave_their_prefix_are_refused) {
  FakeEndpoint elsewhere;
  const std::string host = "http://127.0.0.1:" + std::to_string(endpoint.port());
  const std::vector<std::string> partners{endpoint.url("partners/")};
  // Dot segments, which curl resolves before sending, plain or encoded.
  for (const char* path : {"partners/../internal/admin", "partners/%2E%2e/internal",
                           "partners/.%2e/internal", "partners/x/../../internal",
                           "partners/..?q=1", "partners/./x"}) {
    BOOST_TEST(error_message(call({{"url", endpoint.url(path)}}, partners)) ==
                   refused(endpoint.url(path)),
               path);
  }
  // Userinfo: the host is what follows the '@'.
  const std::string via = host + "@127.0.0.1:" + std::to_string(elsewhere.port()) + "/x";
  BOOST_TEST(error_message(call({{"url", via}}, {{host}})) == refused(via));
  BOOST_TEST(error_message(call({{"url", via}}, {{host + "/"}})) == refused(via));
  // A prefix that ends in the host is that host (and port), not a text prefix.
  BOOST_TEST(error_message(call({{"url", endpoint.url("x")}},
                                {{host.substr(0, host.size() - 1)}})) == refused(endpoint.url("x")));
  // Dot segments are refused under "*" too.
  BOOST_TEST(error_message(call({{"url", endpoint.url("partners/../any")}}, {{"*"}})) ==
             refused(endpoint.url("partners/../any")));
  BOOST_TEST(endpoint.received().empty());
  BOOST_TEST(elsewhere.received().empty());
  // What stays inside is still called.
  completed_response(call({{"url", host}}, {{host}}));
  completed_response(call({{"url", endpoint.url("y?next=/../z")}}, {{host}}));
  completed_response(call({{"url", endpoint.url("partners/v1.2/..x")}}, partners));
  BOOST_TEST(endpoint.received().size() == 3u);
}

// Issue 13, finding 4: "*" let any tenant make the server call its own
// loopback. Internal addresses are checked on the connection itself, so a
// name that resolves there ("localhost") is caught as well as a literal.
BOOST_AUTO_TEST_CASE(star_never_reaches_an_internal_address) {
  const std::string port = std::to_string(endpoint.port());
  for (const std::string& url : {endpoint.url("x"), "http://localhost:" + port + "/x",
                                "http://[::ffff:127.0.0.1]:" + port + "/x"}) {
    const std::string message = error_message(call({{"url", url}}, {{"*"}}));
    BOOST_TEST(message.find("refused to call internal address") != std::string::npos, message);
  }
  BOOST_TEST(endpoint.received().empty());
  const std::string named = "http://localhost:" + port;
  // An entry naming the address, or localhost, is the operator's choice.
  completed_response(call({{"url", endpoint.url("a")}}, {{host()}}));
  completed_response(call({{"url", named + "/b"}}, {{named}}));
  BOOST_TEST(endpoint.received().size() == 2u);
}

// The same rules at decision time, so the decider hears of a URL it may not
// use in the 400 to its POST, not in an error hours later.
BOOST_AUTO_TEST_CASE(the_check_at_decision_time_names_the_url) {
  activity::Env env = net.env({host()});
  BOOST_TEST(HttpActivity::check({{"url", endpoint.url("x")}}, env).ok());
  const Status outside = HttpActivity::check({{"url", "http://10.0.0.1/x"}}, env);
  BOOST_REQUIRE(!outside.ok());
  BOOST_TEST((backbeat::test::http_status(outside.error()) == 400));
  BOOST_TEST(outside.error().message == refused("http://10.0.0.1/x"));
  BOOST_TEST(!HttpActivity::check({{"url", 1}}, env).ok());
}

BOOST_AUTO_TEST_CASE(headers_must_be_single_line_strings) {
  const std::string refused = "client_data.headers must be an object of single-line strings";
  const std::string url = endpoint.url("x");
  for (const Json& headers : {Json{{"X-A", "v\r\nHost: evil"}}, Json{{"X-A", "v\nX-B: 1"}},
                              Json{{"X-A", "v\r"}}, Json{{"X-A\r\nX-B", "v"}},
                              Json{{"X-A: 1\r\nX-B", "v"}}, Json{{"X-A:", "v"}},
                              Json{{"X-A", 1}}, Json{{"X-A", {"a"}}}}) {
    BOOST_TEST_CONTEXT(headers.dump()) {
      BOOST_TEST(error_message(call({{"url", url}, {"headers", headers}})) == refused);
    }
  }
  BOOST_TEST(error_message(call({{"url", url}, {"headers", {"X-A: v"}}})) ==
             "client_data.headers must be an object of strings");
  BOOST_TEST(endpoint.received().empty());
}

// Found by these tests: a Content-Length from client_data cut the body short,
// and the rest of it corrupted the next request on the pooled connection.
BOOST_AUTO_TEST_CASE(headers_the_client_writes_are_refused) {
  const std::string url = endpoint.url("x");
  for (const char* name : {"Content-Length", "transfer-encoding", "Connection", "HOST"}) {
    BOOST_TEST(error_message(call({{"url", url}, {"headers", {{name, "2"}}}})) ==
                   std::string("client_data.headers may not set ") + name,
               name);
  }
  for (const char* name : {"", "X A", "X\"A\"", "X(A)", "\xC3\xA9"}) {
    BOOST_TEST(error_message(call({{"url", url}, {"headers", {{name, "v"}}}})) ==
                   "client_data.headers must be an object of single-line strings",
               name);
  }
  BOOST_TEST(endpoint.received().empty());
  completed_response(call({{"url", url}, {"headers", {{"X-Request-Id", "7"}, {"Accept", "*/*"}}}}));
  BOOST_TEST(only_request().header("X-Request-Id") == "7");
}

BOOST_AUTO_TEST_CASE(url_and_method_are_checked) {
  BOOST_TEST(error_message(call(Json::object())) == "client_data.url must be a string");
  BOOST_TEST(error_message(call({{"url", 7}})) == "client_data.url must be a string");
  for (const Json& method : {Json("TRACE"), Json("get"), Json(1)}) {
    BOOST_TEST(error_message(call({{"url", endpoint.url("x")}, {"method", method}})) ==
               "client_data.method must be one of GET, POST, PUT, PATCH, DELETE");
  }
  BOOST_TEST(endpoint.received().empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
