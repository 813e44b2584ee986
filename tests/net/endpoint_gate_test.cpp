// The per-endpoint limits of outgoing calls, against real endpoints on
// loopback: a hanging endpoint holds at most `concurrency` connections, its
// queue is bounded, and another endpoint is served all the while.
#include <boost/test/unit_test.hpp>
#include <thread>

#include "net/endpoint_gate.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/fake_endpoint.hpp"
#include "tests/support/mailbox.hpp"

namespace backbeat::test {
namespace {

using namespace std::chrono_literals;
using net::CallKey;
using net::EndpointGate;
using net::HttpCall;
using net::HttpResult;
using Admission = EndpointGate::Admission;

HttpCall post_to(const std::string& url) {
  HttpCall c;
  c.url = url;
  c.body = "{}";
  return c;
}

CallKey key(uint64_t n, uint32_t attempt = 1) { return CallKey{Uuid{0, n}, attempt}; }

// The gate and its client, stopped in the right order whatever the test did:
// the client's thread is joined before the gate goes, so no call ends into a
// gate (or a test's mailbox, declared before this) that is gone.
struct Gated {
  explicit Gated(net::EndpointLimits limits) : gate(http, limits) {}
  ~Gated() { http.stop(); }
  net::HttpClient http;
  EndpointGate gate;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(endpoint_gate)

BOOST_AUTO_TEST_CASE(endpoints_are_scheme_host_and_port) {
  using net::endpoint_of;
  BOOST_TEST(endpoint_of("http://Client.example/decision") == "http://client.example:80");
  BOOST_TEST(endpoint_of("http://client.example:80/activity?x=1") == "http://client.example:80");
  BOOST_TEST(endpoint_of("https://client.example/a") == "https://client.example:443");
  BOOST_TEST(endpoint_of("HTTP://user:pw@127.0.0.1:9000") == "http://127.0.0.1:9000");
  BOOST_TEST(endpoint_of("http://[::1]:8080/x") == "http://[::1]:8080");
  BOOST_TEST(endpoint_of("http://[::1]/x") == "http://[::1]:80");
  BOOST_TEST(endpoint_of("http://a:1/x") != endpoint_of("http://a:2/x"));
  BOOST_TEST(endpoint_of("not a url") == "not a url");
}

BOOST_AUTO_TEST_CASE(a_hanging_endpoint_holds_at_most_its_slots_and_others_flow) {
  FakeEndpoint stuck;
  FakeEndpoint healthy;
  stuck.hang(true);
  Mailbox<bool> rooms;
  Mailbox<HttpResult> stuck_done;
  Mailbox<HttpResult> healthy_done;
  Gated g(net::EndpointLimits{3, 100, 5});
  EndpointGate& gate = g.gate;
  gate.on_room([&] { rooms.push(true); });

  std::vector<Admission> admitted;
  for (uint64_t i = 0; i < 10; ++i)
    admitted.push_back(gate.submit(key(i), post_to(stuck.url("/a")),
                                   [&](HttpResult r) { stuck_done.push(std::move(r)); }));
  BOOST_TEST(std::count(admitted.begin(), admitted.end(), Admission::started) == 3);
  BOOST_TEST(std::count(admitted.begin(), admitted.end(), Admission::queued) == 5);
  BOOST_TEST(std::count(admitted.begin(), admitted.end(), Admission::refused) == 2);
  BOOST_TEST(gate.saturated(stuck.url("/other-path")));
  BOOST_TEST(gate.has_deferred());
  BOOST_TEST(gate.holds(key(0)));
  BOOST_TEST(!gate.holds(key(9)));  // refused: its owner keeps it
  BOOST_TEST(gate.room(stuck.url("/")) == 0u);
  BOOST_REQUIRE(eventually([&] { return stuck.in_progress() == 3; }, 10s, 5ms));

  // The healthy endpoint is not held up by the stuck one.
  BOOST_TEST(!gate.saturated(healthy.url("/")));
  for (uint64_t i = 100; i < 110; ++i) {
    BOOST_TEST((gate.submit(key(i), post_to(healthy.url("/b")),
                            [&](HttpResult r) { healthy_done.push(std::move(r)); }) ==
                Admission::started));
    auto r = healthy_done.pop(10s);
    BOOST_REQUIRE(r);
    BOOST_TEST(r->status == 200);
  }
  BOOST_TEST(healthy.max_in_progress() <= 3u);
  BOOST_TEST(stuck.in_progress() == 3u);

  stuck.hang(false);
  for (int i = 0; i < 8; ++i) BOOST_REQUIRE(stuck_done.pop(10s));
  BOOST_TEST(stuck.max_in_progress() == 3u);
  BOOST_TEST(rooms.pop(10s).has_value());  // the deferred endpoint drained
  BOOST_TEST(gate.stats().queued == 0u);
  BOOST_REQUIRE(eventually([&] { return gate.stats().in_flight == 0; }, 10s, 5ms));
  gate.clear_deferred();
  BOOST_TEST(!gate.has_deferred());
  BOOST_TEST(!gate.saturated(stuck.url("/")));
  BOOST_TEST(gate.stats().endpoints == 0u);  // idle endpoints are forgotten
}

BOOST_AUTO_TEST_CASE(a_key_on_its_way_is_not_sent_twice_but_a_new_attempt_is) {
  FakeEndpoint endpoint;
  endpoint.hang(true);
  Mailbox<HttpResult> done;
  Gated g(net::EndpointLimits{1, 10, 10});
  EndpointGate& gate = g.gate;
  auto record = [&](HttpResult r) { done.push(std::move(r)); };
  BOOST_TEST((gate.submit(key(1), post_to(endpoint.url("/")), record) == Admission::started));
  BOOST_TEST((gate.submit(key(1), post_to(endpoint.url("/")), record) == Admission::already_held));
  BOOST_TEST((gate.submit(key(1, 2), post_to(endpoint.url("/")), record) == Admission::queued));
  BOOST_TEST(gate.holds(key(1, 2)));
  BOOST_TEST((gate.submit(key(1, 2), post_to(endpoint.url("/")), record) == Admission::already_held));
  endpoint.hang(false);
  BOOST_REQUIRE(done.pop(10s));
  BOOST_REQUIRE(done.pop(10s));
  BOOST_TEST(!done.pop(200ms).has_value());
  BOOST_TEST(endpoint.received().size() == 2u);
  // Done: the same key may go again.
  BOOST_REQUIRE(eventually([&] { return !gate.holds(key(1)); }, 10s, 5ms));
  BOOST_TEST((gate.submit(key(1), post_to(endpoint.url("/")), record) == Admission::started));
  BOOST_REQUIRE(done.pop(10s));
}

BOOST_AUTO_TEST_CASE(the_server_wide_queue_bounds_every_endpoint_together) {
  FakeEndpoint a;
  FakeEndpoint b;
  a.hang(true);
  b.hang(true);
  Gated g(net::EndpointLimits{1, 3, 10});
  EndpointGate& gate = g.gate;
  auto ignore = [](HttpResult) {};
  BOOST_TEST((gate.submit(key(1), post_to(a.url("/")), ignore) == Admission::started));
  BOOST_TEST((gate.submit(key(2), post_to(b.url("/")), ignore) == Admission::started));
  BOOST_TEST((gate.submit(key(3), post_to(a.url("/")), ignore) == Admission::queued));
  BOOST_TEST((gate.submit(key(4), post_to(a.url("/")), ignore) == Admission::queued));
  BOOST_TEST((gate.submit(key(5), post_to(b.url("/")), ignore) == Admission::queued));
  BOOST_TEST((gate.submit(key(6), post_to(b.url("/")), ignore) == Admission::refused));
  BOOST_TEST(gate.saturated("http://127.0.0.1:1/"));  // full for everyone
  BOOST_TEST(gate.global_room() == 0u);
  a.hang(false);
  b.hang(false);
  BOOST_REQUIRE(eventually([&] { return gate.stats().in_flight == 0 && gate.stats().queued == 0; }, 10s, 5ms));
}

BOOST_AUTO_TEST_CASE(stopping_fails_the_queue_once_and_refuses_later_calls) {
  FakeEndpoint endpoint;
  endpoint.hang(true);
  std::atomic<int> failed{0};
  std::atomic<int> called{0};
  Gated g(net::EndpointLimits{1, 5000, 5000});
  EndpointGate& gate = g.gate;
  auto count = [&](HttpResult r) {
    ++called;
    if (!r.transport_ok) ++failed;
  };
  for (uint64_t i = 0; i < 3000; ++i) gate.submit(key(i), post_to(endpoint.url("/")), count);
  BOOST_REQUIRE(eventually([&] { return endpoint.in_progress() == 1; }, 10s, 5ms));
  // The client stops under the gate: the call in flight fails, which frees
  // the slot for the next queued call, which fails at once, and so on through
  // the whole queue, without recursing once per call.
  g.http.stop();
  BOOST_REQUIRE(eventually([&] { return called == 3000; }, 10s, 5ms));
  BOOST_TEST(failed == 3000);
  gate.stop();
  BOOST_TEST((gate.submit(key(1), post_to(endpoint.url("/")), count) == Admission::refused));
  BOOST_TEST(called == 3000);
}

BOOST_AUTO_TEST_CASE(stop_fails_what_waits) {
  FakeEndpoint endpoint;
  endpoint.hang(true);
  Mailbox<HttpResult> done;
  Gated g(net::EndpointLimits{1, 10, 10});
  EndpointGate& gate = g.gate;
  auto record = [&](HttpResult r) { done.push(std::move(r)); };
  gate.submit(key(1), post_to(endpoint.url("/")), record);
  gate.submit(key(2), post_to(endpoint.url("/")), record);
  gate.stop();
  auto r = done.pop(1s);
  BOOST_REQUIRE(r);
  BOOST_TEST(!r->transport_ok);
  BOOST_TEST(r->error == "client stopped");
  BOOST_TEST(!gate.holds(key(2)));
  endpoint.hang(false);
  BOOST_REQUIRE(done.pop(10s));  // the one in flight still ends normally
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
