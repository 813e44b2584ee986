// What a slow or greedy client can no longer do: hold a connection by
// dripping its header or body a byte at a time (slow loris), hold one open
// without sending anything, or take every connection from one address.
// Deadlines are short here; the defaults are in docs/http.md.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "tests/support/eventually.hpp"
#include "tests/net/http_server_fixture.hpp"

namespace backbeat::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

// Sends `bytes` one at a time, `gap` apart (the connection's own timeout),
// and returns when the server closed the connection, measured from `start`;
// nullopt if it was still open after the last byte.
std::optional<milliseconds> drip_until_closed(TestConnection& conn, std::string_view bytes,
                                              Clock::time_point start) {
  for (char c : bytes)
    if (!conn.send(std::string_view(&c, 1)) || conn.wait_closed()) return since(start);
  return std::nullopt;
}

net::HttpServerOptions deadlines(milliseconds header, milliseconds body, milliseconds idle) {
  net::HttpServerOptions o;
  o.header_timeout = header;
  o.body_timeout = body;
  o.idle_timeout = idle;
  return o;
}

// The connection was cut by `deadline`, not by `instead` (the deadline that
// would have applied without it). The bound between them is wide: a
// sanitizer build on a loaded machine may be seconds late, never early.
void expect_cut_by(milliseconds took, milliseconds deadline, milliseconds instead) {
  BOOST_TEST(took.count() >= deadline.count() * 8 / 10);
  BOOST_TEST(took.count() < (deadline + instead).count() / 2);
}

void check_serves(Server& s) { BOOST_TEST(s.request("GET", "/still-there").status == 200); }

// Drips `bytes` into a server whose deadline for them is 500 ms (the others
// 10 s): the connection is cut, counted as a timeout, and the server serves on.
void expect_drip_cut(Server& s, TestConnection& conn, std::string_view bytes,
                     Clock::time_point start) {
  const auto closed = drip_until_closed(conn, bytes, start);
  BOOST_REQUIRE_MESSAGE(closed, "still open after a 5 s drip");
  expect_cut_by(*closed, 500ms, 10s);
  // Counted on the server's strand, just after the close the client saw.
  BOOST_TEST(eventually([&] { return s.server.counters().request_timeouts == 1; }, 5s, 10ms));
  check_serves(s);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_server_limits)

// Before, only idle_timeout (75 s) bounded a header, and here it is 10 s:
// a byte every 50 ms kept the connection for the whole 5 s drip.
BOOST_AUTO_TEST_CASE(a_header_dripping_in_is_cut_at_the_header_deadline) {
  Server s(echo, deadlines(500ms, 10s, 10s));
  const auto start = Clock::now();
  TestConnection conn("127.0.0.1", s.port, 50ms);
  BOOST_REQUIRE(conn.send("GET / HTTP/1.1\r\nHost: t\r\n"));
  expect_drip_cut(s, conn, "X-Drip: " + std::string(100, 'a'), start);
}

BOOST_AUTO_TEST_CASE(a_silent_connection_is_cut_at_the_header_deadline_not_the_idle_one) {
  Server s(echo, deadlines(500ms, 10s, 10s));
  const auto start = Clock::now();
  TestConnection conn("127.0.0.1", s.port, 5s);
  BOOST_REQUIRE(conn.wait_closed());
  expect_cut_by(since(start), 500ms, 10s);
  check_serves(s);
}

BOOST_AUTO_TEST_CASE(a_body_dripping_in_is_cut_at_the_body_deadline) {
  Server s(echo, deadlines(10s, 500ms, 10s));
  TestConnection conn("127.0.0.1", s.port, 50ms);
  BOOST_REQUIRE(conn.send("POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n"));
  const auto start = Clock::now();
  expect_drip_cut(s, conn, std::string(100, 'x'), start);
}

// Between requests the idle deadline applies; once the next request has
// begun, its header has the header deadline, counted from its first byte.
BOOST_AUTO_TEST_CASE(kept_alive_connections_idle_longer_than_a_header_may_take) {
  Server s(echo, deadlines(400ms, 10s, 3s));
  TestConnection conn("127.0.0.1", s.port, 5s);
  BOOST_REQUIRE(conn.send(Server::get("/first")));
  BOOST_REQUIRE(conn.read_response().status == 200);
  std::this_thread::sleep_for(800ms);  // past the header deadline, within the idle one
  BOOST_REQUIRE(conn.send(Server::get("/second")));
  BOOST_REQUIRE(conn.read_response().status == 200);
  std::this_thread::sleep_for(200ms);
  const auto first_byte = Clock::now();
  BOOST_REQUIRE(conn.send("G"));
  BOOST_REQUIRE(conn.wait_closed());
  expect_cut_by(since(first_byte), 400ms, 2800ms);  // the idle deadline is 2.8 s away
}

BOOST_AUTO_TEST_CASE(an_idle_kept_alive_connection_is_closed_at_the_idle_deadline) {
  Server s(echo, deadlines(10s, 10s, 500ms));
  TestConnection conn("127.0.0.1", s.port, 5s);
  BOOST_REQUIRE(conn.send(Server::get("/")));
  BOOST_REQUIRE(conn.read_response().status == 200);
  const auto start = Clock::now();
  BOOST_REQUIRE(conn.wait_closed());
  expect_cut_by(since(start), 500ms, 10s);
  BOOST_TEST(s.server.counters().request_timeouts == 0);  // idleness is no offence
}

// Before, every connection from one address was served up to
// max_connections (10,000 by default).
BOOST_AUTO_TEST_CASE(connections_per_address_are_limited) {
  net::HttpServerOptions o;
  o.max_connections_per_address = 2;
  Server s(echo, o);
  std::vector<std::unique_ptr<TestConnection>> held;
  for (int i = 0; i < 2; ++i) {
    held.push_back(std::make_unique<TestConnection>("127.0.0.1", s.port));
    BOOST_REQUIRE(held.back()->send(Server::get("/held")));
    BOOST_REQUIRE(held.back()->read_response().status == 200);  // now surely accepted
  }
  TestConnection third("127.0.0.1", s.port);
  BOOST_REQUIRE(third.send(Server::get("/third")));
  const TestResponse refused = third.read_response();
  BOOST_TEST(refused.status == 503);
  BOOST_TEST(refused.header("Retry-After") == "1");
  BOOST_TEST(refused.header("Connection") == "close");
  BOOST_TEST(refused.json()["errorClass"] == "Backbeat::TooManyConnections");
  BOOST_TEST(refused.json()["message"] == "too many connections from 127.0.0.1 (at most 2)");
  BOOST_TEST(third.wait_closed());
  BOOST_TEST(s.server.counters().refused_per_address == 1);

  // Another address has a count of its own (all of 127/8 is loopback).
  TestConnection other("127.0.0.1", s.port, 10s, "127.0.0.2");
  BOOST_REQUIRE_MESSAGE(other.connected(), other.error());
  BOOST_REQUIRE(other.send(Server::get("/other")));
  BOOST_TEST(other.read_response().status == 200);

  // A closed connection frees its slot; the refused one never held one.
  held.front()->close();
  BOOST_TEST(eventually([&] {
    TestConnection next("127.0.0.1", s.port);
    return next.send(Server::get("/next")) && next.read_response().status == 200;
  }, 2s, 10ms));
}

// Before, a refused connection counted towards max_connections while it
// answered and lingered, so one address refused often enough filled it and
// every other client got 503 too.
BOOST_AUTO_TEST_CASE(refused_connections_do_not_lock_other_addresses_out) {
  net::HttpServerOptions o;
  o.max_connections = 3;
  o.max_connections_per_address = 1;
  Server s(echo, o);
  TestConnection holder("127.0.0.1", s.port);
  BOOST_REQUIRE(holder.send(Server::get("/held")));
  BOOST_REQUIRE(holder.read_response().status == 200);
  // Refused, answered, and held open: each lingers up to 2 s on the server.
  std::vector<std::unique_ptr<TestConnection>> refused;
  for (int i = 0; i < 3; ++i) {
    refused.push_back(std::make_unique<TestConnection>("127.0.0.1", s.port));
    BOOST_REQUIRE(refused.back()->send(Server::get("/refused")));
    BOOST_REQUIRE(refused.back()->read_response().status == 503);
  }
  TestConnection other("127.0.0.1", s.port, 10s, "127.0.0.2");
  BOOST_REQUIRE_MESSAGE(other.connected(), other.error());
  BOOST_REQUIRE(other.send(Server::get("/other")));
  BOOST_TEST(other.read_response().status == 200);
  BOOST_TEST(s.server.counters().refused_per_address == 3);
  BOOST_TEST(s.server.counters().refused_capacity == 0);
}

// Past as many refusals in progress as connections may be served, a flood
// of them is closed unanswered instead of holding ever more sockets.
BOOST_AUTO_TEST_CASE(a_flood_of_refusals_is_closed_unanswered) {
  net::HttpServerOptions o;
  o.max_connections = 2;
  o.max_connections_per_address = 1;
  Server s(echo, o);
  TestConnection holder("127.0.0.1", s.port);
  BOOST_REQUIRE(holder.send(Server::get("/held")));
  BOOST_REQUIRE(holder.read_response().status == 200);
  std::vector<std::unique_ptr<TestConnection>> refused;
  int answered = 0;
  for (int i = 0; i < 4; ++i) {
    refused.push_back(std::make_unique<TestConnection>("127.0.0.1", s.port, 2s));
    BOOST_REQUIRE(refused.back()->send(Server::get("/refused")));
    answered += refused.back()->read_response().status == 503;
  }
  BOOST_TEST(answered == 2);  // two lingering refusals: the rest just closed
  BOOST_TEST(s.server.counters().refused_per_address == 4);
}

BOOST_AUTO_TEST_CASE(no_per_address_limit_when_it_is_zero) {
  net::HttpServerOptions o;
  o.max_connections_per_address = 0;
  Server s(echo, o);
  std::vector<std::unique_ptr<TestConnection>> held;
  for (int i = 0; i < 20; ++i) {
    held.push_back(std::make_unique<TestConnection>("127.0.0.1", s.port));
    BOOST_REQUIRE(held.back()->send(Server::get("/held")));
    BOOST_REQUIRE(held.back()->read_response().status == 200);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
