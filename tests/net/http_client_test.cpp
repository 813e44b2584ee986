#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <future>
#include <nlohmann/json.hpp>

#include "net/http_client.hpp"
#include "tests/support/fake_endpoint.hpp"
#include "tests/support/mailbox.hpp"

namespace backbeat::test {
namespace {

using namespace std::chrono_literals;
using net::HttpCall;
using net::HttpRequest;
using net::HttpResult;
using Clock = std::chrono::steady_clock;

HttpCall call_to(const std::string& url, std::string method = "POST", std::string body = "{}") {
  HttpCall c;
  c.url = url;
  c.method = std::move(method);
  c.body = std::move(body);
  return c;
}

// Sends and waits; the client's own thread still does the work.
HttpResult send_and_wait(net::HttpClient& client, HttpCall call) {
  Mailbox<HttpResult> done;
  client.send(std::move(call), [&](HttpResult r) { done.push(std::move(r)); });
  auto r = done.pop(20s);
  BOOST_REQUIRE_MESSAGE(r, "call never completed");
  return std::move(*r);
}

auto path_is(std::string path) {
  return [path = std::move(path)](const HttpRequest& r) { return r.path() == path; };
}

// Holds requests in FakeEndpoint's hook until released, so an endpoint can
// hang for exactly as long as a test needs and never longer.
class Gate {
 public:
  FakeEndpoint::Hook hook() {
    return [f = future_](const HttpRequest&) { f.wait_for(30s); };
  }
  void open() {
    if (!opened_.exchange(true)) promise_.set_value();
  }
  ~Gate() { open(); }

 private:
  std::promise<void> promise_;
  std::shared_future<void> future_ = promise_.get_future().share();
  std::atomic<bool> opened_{false};
};

// A bound socket that never listens: connecting to it is refused at once,
// and nothing else can take the port meanwhile.
class RefusingPort {
 public:
  RefusingPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0);
    socklen_t len = sizeof(a);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~RefusingPort() { ::close(fd_); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(http_client)

BOOST_AUTO_TEST_CASE(post_delivers_body_and_headers_without_expect) {
  FakeEndpoint endpoint;
  net::HttpClient client;
  // Over 1 KiB, where curl would otherwise add Expect: 100-continue.
  std::string body = nlohmann::json{{"payload", std::string(2048, 'p')}}.dump();
  auto call = call_to(endpoint.url("/hook"), "POST", body);
  call.headers = {"X-Trace: abc"};
  auto r = send_and_wait(client, call);
  BOOST_TEST(r.transport_ok);
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body == "{}");

  auto seen = endpoint.wait_for(path_is("/hook"));
  BOOST_REQUIRE(seen);
  BOOST_TEST(seen->method == "POST");
  BOOST_TEST(seen->body == body);
  BOOST_TEST(seen->header("Content-Type") == "application/json");
  BOOST_TEST(seen->header("X-Trace") == "abc");
  BOOST_TEST(seen->header("Expect").empty());
}

BOOST_AUTO_TEST_CASE(put_get_and_content_type_override) {
  FakeEndpoint endpoint;
  net::HttpClient client;
  BOOST_TEST(send_and_wait(client, call_to(endpoint.url("/put"), "PUT", R"({"a":1})")).status == 200);
  BOOST_TEST(send_and_wait(client, call_to(endpoint.url("/get"), "GET", "")).status == 200);
  auto text = call_to(endpoint.url("/text"), "POST", "plain words");
  text.headers = {"content-type: text/plain"};
  BOOST_TEST(send_and_wait(client, text).status == 200);

  auto put = endpoint.wait_for(path_is("/put"));
  BOOST_REQUIRE(put);
  BOOST_TEST(put->method == "PUT");
  BOOST_TEST(put->body == R"({"a":1})");
  BOOST_TEST(put->header("Content-Type") == "application/json");
  auto get = endpoint.wait_for(path_is("/get"));
  BOOST_REQUIRE(get);
  BOOST_TEST(get->method == "GET");
  BOOST_TEST(get->header("Content-Type").empty());
  auto plain = endpoint.wait_for(path_is("/text"));
  BOOST_REQUIRE(plain);
  BOOST_TEST(plain->header("Content-Type") == "text/plain");
}

BOOST_AUTO_TEST_CASE(non_2xx_status_is_surfaced) {
  FakeEndpoint endpoint;
  endpoint.set_handler([](const HttpRequest&) {
    return net::HttpResponse{422, "application/json", R"({"error":"nope"})", {}};
  });
  net::HttpClient client;
  auto r = send_and_wait(client, call_to(endpoint.url("/x")));
  BOOST_TEST(r.transport_ok);
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body == R"({"error":"nope"})");
}

BOOST_AUTO_TEST_CASE(redirects_are_not_followed) {
  FakeEndpoint endpoint;
  endpoint.set_handler([&](const HttpRequest&) {
    return net::HttpResponse{302, "text/plain", "", {{"Location", endpoint.url("/elsewhere")}}};
  });
  net::HttpClient client;
  auto r = send_and_wait(client, call_to(endpoint.url("/moved")));
  BOOST_TEST(r.status == 302);
  BOOST_TEST(endpoint.received().size() == 1u);
}

BOOST_AUTO_TEST_CASE(connection_refused_is_a_transport_failure) {
  RefusingPort port;
  net::HttpClient client;
  auto r = send_and_wait(client, call_to(port.url()));
  BOOST_TEST(!r.transport_ok);
  BOOST_TEST(r.status == 0);
  BOOST_TEST(!r.error.empty());
}

BOOST_AUTO_TEST_CASE(bad_url_is_a_transport_failure) {
  net::HttpClient client;
  auto r = send_and_wait(client, call_to("file:///etc/passwd"));
  BOOST_TEST(!r.transport_ok);
  auto r2 = send_and_wait(client, call_to("not a url"));
  BOOST_TEST(!r2.transport_ok);
}

BOOST_AUTO_TEST_CASE(hanging_endpoint_times_out_without_holding_up_others) {
  FakeEndpoint hanging, healthy;
  Gate gate;
  hanging.set_before_response(gate.hook());
  std::mutex mu;
  std::vector<std::string> finished;  // in completion order
  Mailbox<HttpResult> hung_result, healthy_result;
  net::HttpClient client;  // last: its thread goes before what callbacks touch
  auto hung = call_to(hanging.url("/slow"));
  hung.timeout = 3000ms;
  auto sent = Clock::now();
  client.send(hung, [&](HttpResult r) {
    std::lock_guard lock(mu);
    finished.push_back("hung");
    hung_result.push(std::move(r));
  });
  BOOST_REQUIRE(hanging.wait_for(path_is("/slow")));  // it is in progress now
  client.send(call_to(healthy.url("/fast")), [&](HttpResult r) {
    std::lock_guard lock(mu);
    finished.push_back("healthy");
    healthy_result.push(std::move(r));
  });

  auto fast = healthy_result.pop();
  BOOST_REQUIRE(fast);
  BOOST_TEST(fast->status == 200);
  auto slow = hung_result.pop();
  auto elapsed = Clock::now() - sent;
  gate.open();
  BOOST_REQUIRE(slow);
  BOOST_TEST(!slow->transport_ok);
  BOOST_TEST(slow->error.find("timed out") != std::string::npos, slow->error);
  BOOST_TEST(elapsed >= hung.timeout - 50ms);
  std::lock_guard lock(mu);
  BOOST_TEST(finished == (std::vector<std::string>{"healthy", "hung"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(stop_completes_outstanding_calls) {
  FakeEndpoint endpoint;
  Gate gate;
  endpoint.set_before_response(gate.hook());
  Mailbox<HttpResult> results;
  net::HttpClient client;
  for (int i = 0; i < 3; ++i)
    client.send(call_to(endpoint.url("/wait" + std::to_string(i))),
                [&](HttpResult r) { results.push(std::move(r)); });
  for (int i = 0; i < 3; ++i) BOOST_REQUIRE(endpoint.wait_for(path_is("/wait" + std::to_string(i))));
  BOOST_TEST(client.in_flight() == 3u);

  client.stop();
  BOOST_TEST(client.in_flight() == 0u);
  BOOST_TEST(results.size() == 3u);
  for (int i = 0; i < 3; ++i) {
    auto r = results.pop(0ms);
    BOOST_REQUIRE(r);
    BOOST_TEST(!r->transport_ok);
    BOOST_TEST(r->error == "client stopped");
  }
  auto late = send_and_wait(client, call_to(endpoint.url("/late")));
  BOOST_TEST(late.error == "client stopped");
  client.stop();  // idempotent
}

BOOST_AUTO_TEST_CASE(response_body_is_capped) {
  FakeEndpoint endpoint;
  endpoint.set_handler([](const HttpRequest&) {
    return net::HttpResponse{200, "text/plain", std::string(3 << 20, 'z'), {}};
  });
  net::HttpClient client;
  auto r = send_and_wait(client, call_to(endpoint.url("/huge")));
  BOOST_TEST(r.transport_ok);
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body.size() == size_t{1} << 20);
}

BOOST_AUTO_TEST_CASE(a_throwing_callback_does_not_break_the_client) {
  FakeEndpoint endpoint;
  Mailbox<int> thrown;
  net::HttpClient client;
  client.send(call_to(endpoint.url("/a")), [&](HttpResult) {
    thrown.push(1);
    throw std::runtime_error("callback bug");
  });
  BOOST_REQUIRE(thrown.pop());
  BOOST_TEST(send_and_wait(client, call_to(endpoint.url("/b"))).status == 200);
}

BOOST_AUTO_TEST_CASE(many_parallel_calls_all_complete) {
  FakeEndpoint endpoint;
  endpoint.set_handler([](const HttpRequest& r) {
    return net::HttpResponse{200, "text/plain", std::string(r.path()), {}};
  });
  constexpr int kCalls = 100;
  Mailbox<std::pair<int, HttpResult>> results;
  net::HttpClient client;
  for (int i = 0; i < kCalls; ++i)
    client.send(call_to(endpoint.url("/p" + std::to_string(i))),
                [&, i](HttpResult r) { results.push({i, std::move(r)}); });
  for (int n = 0; n < kCalls; ++n) {
    auto r = results.pop(20s);
    BOOST_REQUIRE(r);
    BOOST_TEST(r->second.status == 200);
    BOOST_TEST(r->second.body == "/p" + std::to_string(r->first));
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
