#include <curl/curl.h>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <atomic>
#include <thread>

#include "tests/net/http_server_fixture.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::test {
namespace {

size_t write_to_string(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_server)

BOOST_AUTO_TEST_CASE(get_and_post_round_trip) {
  Server s(echo);
  auto get = s.request("GET", "/hello?x=1");
  BOOST_TEST(get.status == 200);
  BOOST_TEST(get.header("Content-Type") == "application/json");
  BOOST_TEST(get.header("X-Echo") == "yes");
  BOOST_TEST(get.header("Content-Length") == std::to_string(get.body.size()));
  BOOST_TEST(get.json()["method"] == "GET");
  BOOST_TEST(get.json()["path"] == "/hello");
  BOOST_TEST(get.json()["query"] == "x=1");

  auto post = s.request("POST", "/things", R"({"a":1})");
  BOOST_TEST(post.status == 200);
  BOOST_TEST(post.json()["method"] == "POST");
  BOOST_TEST(post.json()["body"] == R"({"a":1})");
}

BOOST_AUTO_TEST_CASE(status_content_type_and_extra_headers_come_from_the_response) {
  Server s([](HttpRequest&&, Responder respond) {
    respond(HttpResponse{201, "text/plain", "made", {{"Location", "/things/1"}}});
  });
  auto r = s.request("POST", "/things", "{}");
  BOOST_TEST(r.status == 201);
  BOOST_TEST(r.header("Content-Type") == "text/plain");
  BOOST_TEST(r.header("Location") == "/things/1");
  BOOST_TEST(r.body == "made");
}

BOOST_AUTO_TEST_CASE(invalid_handler_response_becomes_500) {
  Server s([](HttpRequest&&, Responder respond) { respond(HttpResponse{42, "text/plain", "", {}}); });
  auto r = s.request("GET", "/");
  BOOST_TEST(r.status == 500);
  BOOST_TEST(r.json()["errorClass"] == "InternalError");
}

BOOST_AUTO_TEST_CASE(keep_alive_serves_several_requests_on_one_connection) {
  Server s(echo);
  TestConnection conn("127.0.0.1", s.port);
  BOOST_REQUIRE(conn.connected());
  for (int i = 0; i < 3; ++i) {
    BOOST_REQUIRE(conn.send(s.get("/n" + std::to_string(i))));
    auto r = conn.read_response();
    BOOST_REQUIRE(r.status == 200);
    BOOST_TEST(r.json()["path"] == "/n" + std::to_string(i));
    BOOST_TEST(r.header("Connection") != "close");
  }
  BOOST_REQUIRE(conn.send("GET /last HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  auto last = conn.read_response();
  BOOST_TEST(last.status == 200);
  BOOST_TEST(last.header("Connection") == "close");
  BOOST_TEST(conn.wait_closed());
}

BOOST_AUTO_TEST_CASE(head_answers_carry_the_length_but_no_body) {
  // A body after a HEAD answer would be read as the next response.
  Server s(echo);
  TestConnection conn("127.0.0.1", s.port);
  BOOST_REQUIRE(conn.send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n" + s.get("/after")));
  auto head = conn.read_response(true);
  BOOST_TEST(head.status == 200);
  BOOST_TEST(head.header("Content-Length") != "0");
  BOOST_TEST(head.body.empty());
  auto next = conn.read_response();
  BOOST_REQUIRE(next.status == 200);
  BOOST_TEST(next.json()["path"] == "/after");
}

BOOST_AUTO_TEST_CASE(pipelined_requests_are_answered_in_order) {
  // The next request reaches the handler only once the previous is answered.
  Stash stash;
  Server s(stash.handler());
  TestConnection conn("127.0.0.1", s.port);
  BOOST_REQUIRE(conn.send(s.get("/a") + s.get("/b") + s.get("/c")));
  for (const char* path : {"/a", "/b", "/c"}) {
    auto req = stash.requests.pop();
    auto respond = stash.responders.pop();
    BOOST_REQUIRE(req && respond);
    BOOST_TEST(req->path() == path);
    BOOST_TEST(stash.requests.size() == 0u);
    std::thread([&] { (*respond)(HttpResponse{200, "text/plain", std::string(req->path()), {}}); }).join();
    BOOST_TEST(conn.read_response().body == path);
  }
}

BOOST_AUTO_TEST_CASE(http_1_0_closes_after_the_response) {
  Server s(echo);
  TestConnection conn("127.0.0.1", s.port);
  BOOST_REQUIRE(conn.send("GET /old HTTP/1.0\r\n\r\n"));
  auto r = conn.read_response();
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.json()["path"] == "/old");
  BOOST_TEST(conn.wait_closed());
}

BOOST_AUTO_TEST_CASE(fifty_concurrent_connections) {
  // Nobody is answered until all fifty are in, so this only passes if the
  // server really holds fifty open requests at once.
  constexpr int kClients = 50;
  std::mutex mu;
  std::vector<std::pair<std::string, Responder>> waiting;
  Server s([&](HttpRequest&& req, Responder respond) {
    std::lock_guard lock(mu);
    waiting.emplace_back(std::string(req.path()), std::move(respond));
    if (waiting.size() < kClients) return;
    for (auto& [path, r] : waiting) r(HttpResponse{200, "text/plain", path, {}});
  }, [] {
    net::HttpServerOptions o;
    o.io_threads = 2;
    return o;
  }());
  std::vector<TestResponse> results(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i)
    clients.emplace_back([&, i] { results[i] = s.request("GET", "/c" + std::to_string(i)); });
  for (auto& t : clients) t.join();
  for (int i = 0; i < kClients; ++i) {
    BOOST_TEST(results[i].status == 200);
    BOOST_TEST(results[i].body == "/c" + std::to_string(i));
  }
}

BOOST_AUTO_TEST_CASE(responder_may_be_called_from_another_thread_later) {
  Stash stash;
  Server s(stash.handler());
  TestResponse r;
  std::thread client([&] { r = s.request("GET", "/later"); });
  auto respond = stash.responders.pop();
  BOOST_REQUIRE(respond);
  std::thread([respond = *respond] { respond(HttpResponse{202, "application/json", R"({"ok":true})", {}}); })
      .join();
  client.join();
  BOOST_TEST(r.status == 202);
  BOOST_TEST(r.json()["ok"] == true);
}

BOOST_AUTO_TEST_CASE(dropped_responder_answers_500) {
  Server s([](HttpRequest&&, Responder) {});
  auto r = s.request("GET", "/dropped");
  BOOST_TEST(r.status == 500);
  BOOST_TEST(r.json()["errorClass"] == "InternalError");
}

BOOST_AUTO_TEST_CASE(throwing_handler_answers_500) {
  Server s([](HttpRequest&&, Responder) { throw std::runtime_error("bug"); });
  BOOST_TEST(s.request("GET", "/").status == 500);
  BOOST_TEST(s.request("GET", "/").status == 500);  // and the server lives on
}

BOOST_AUTO_TEST_CASE(second_answer_is_ignored) {
  Server s([](HttpRequest&&, Responder respond) {
    respond(HttpResponse{200, "text/plain", "first", {}});
    respond(HttpResponse{500, "text/plain", "second", {}});
  });
  TestConnection conn("127.0.0.1", s.port);
  BOOST_REQUIRE(conn.send(s.get("/1") + s.get("/2")));
  BOOST_TEST(conn.read_response().body == "first");
  BOOST_TEST(conn.read_response().body == "first");
}

BOOST_AUTO_TEST_CASE(body_over_limit_is_413_then_close) {
  net::HttpServerOptions o;
  o.max_body_bytes = 1024;
  Server s(echo, o);
  auto r = s.request("POST", "/big", std::string(4096, 'x'));
  BOOST_TEST(r.status == 413);
  BOOST_TEST(r.json()["errorClass"] == "PayloadTooLarge");
  BOOST_TEST(r.header("Connection") == "close");
  BOOST_TEST(s.request("POST", "/small", std::string(1024, 'x')).status == 200);
}

BOOST_AUTO_TEST_CASE(chunked_body_over_limit_is_413) {
  net::HttpServerOptions o;
  o.max_body_bytes = 1024;
  Server s(echo, o);
  TestConnection conn("127.0.0.1", s.port);
  std::string chunk(800, 'y');
  BOOST_REQUIRE(conn.send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" +
                          chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n"));
  auto r = conn.read_response();
  BOOST_TEST(r.status == 413);
  BOOST_TEST(conn.wait_closed());
}

BOOST_AUTO_TEST_CASE(malformed_requests_are_400_then_close) {
  Server s(echo);
  for (std::string garbage : {"NOT HTTP AT ALL\r\n\r\n",
                              "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n",
                              "GET\r\n\r\n", "GET / HTTP/1.1\r\nBad Header\r\n\r\n"}) {
    TestConnection conn("127.0.0.1", s.port);
    BOOST_REQUIRE(conn.send(garbage));
    auto r = conn.read_response();
    BOOST_TEST(r.status == 400, "for " << garbage);
    BOOST_TEST(r.json()["errorClass"] == "BadRequest");
    BOOST_TEST(conn.wait_closed());
  }
  BOOST_TEST(s.request("GET", "/").status == 200);
}

BOOST_AUTO_TEST_CASE(oversized_headers_are_431) {
  net::HttpServerOptions o;
  o.max_header_bytes = 1024;
  Server s(echo, o);
  auto r = s.request("GET", "/", "", {{"X-Big", std::string(2048, 'h')}});
  BOOST_TEST(r.status == 431);
  BOOST_TEST(r.json()["errorClass"] == "RequestHeaderFieldsTooLarge");
}

BOOST_AUTO_TEST_CASE(expect_100_continue_gets_an_interim_response) {
  Server s(echo);
  TestConnection conn("127.0.0.1", s.port);
  std::string body(2048, 'b');
  BOOST_REQUIRE(conn.send("POST /e HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2048\r\n\r\n"));
  BOOST_TEST(conn.read_response().status == 100);
  BOOST_REQUIRE(conn.send(body));
  auto r = conn.read_response();
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.json()["body"] == body);
}

BOOST_AUTO_TEST_CASE(curl_posting_2k_with_expect_gets_through) {
  // curl would wait a minute for "100 Continue" here, but gives up on the
  // whole request after ten seconds: only a server that answers Expect passes.
  Server s(echo);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL* easy = curl_easy_init();
  BOOST_REQUIRE(easy);
  std::string body(2048, 'k'), out;
  std::string url = "http://127.0.0.1:" + std::to_string(s.port) + "/curl";
  curl_slist* headers = curl_slist_append(nullptr, "Expect: 100-continue");
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_EXPECT_100_TIMEOUT_MS, 60000L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &write_to_string);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &out);
  CURLcode rc = curl_easy_perform(easy);
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(easy);
  BOOST_REQUIRE_MESSAGE(rc == CURLE_OK, curl_easy_strerror(rc));
  BOOST_TEST(status == 200);
  auto echoed = nlohmann::json::parse(out);
  BOOST_TEST(echoed["expect"] == "100-continue");
  BOOST_TEST(echoed["body"] == body);
}

BOOST_AUTO_TEST_CASE(idle_connection_is_closed) {
  net::HttpServerOptions o;
  o.idle_timeout = std::chrono::seconds(1);
  Server s(echo, o);
  TestConnection conn("127.0.0.1", s.port);
  BOOST_REQUIRE(conn.send(s.get("/")));
  BOOST_TEST(conn.read_response().status == 200);
  BOOST_TEST(conn.wait_closed());
}

BOOST_AUTO_TEST_CASE(connections_over_the_limit_get_503) {
  net::HttpServerOptions o;
  o.max_connections = 1;
  Server s(echo, o);
  TestConnection first("127.0.0.1", s.port);
  BOOST_REQUIRE(first.send(s.get("/")));
  BOOST_REQUIRE(first.read_response().status == 200);  // now surely accepted
  auto r = s.request("GET", "/");
  BOOST_TEST(r.status == 503);
  BOOST_TEST(r.json()["errorClass"] == "Unavailable");
  BOOST_TEST(r.header("Retry-After") == "1");
  BOOST_TEST(s.server.counters().refused_capacity == 1);
  first.close();
}

BOOST_AUTO_TEST_CASE(abrupt_disconnects_are_harmless) {
  Stash stash;
  Server s(stash.handler());
  { TestConnection silent("127.0.0.1", s.port); }
  {
    TestConnection partial("127.0.0.1", s.port);
    BOOST_REQUIRE(partial.send("POST /p HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly a bit"));
  }
  {
    TestConnection gone("127.0.0.1", s.port);
    BOOST_REQUIRE(gone.send("GET /gone HTTP/1.1\r\nHost: t\r\n\r\n"));
    BOOST_REQUIRE(stash.requests.pop());
  }
  auto late = stash.responders.pop();
  BOOST_REQUIRE(late);
  (*late)(HttpResponse{200, "text/plain", "nobody listens", {}});

  TestResponse r;
  std::thread client([&] { r = s.request("GET", "/alive"); });
  auto respond = stash.responders.pop();
  BOOST_REQUIRE(respond);
  (*respond)(HttpResponse{200, "text/plain", "alive", {}});
  client.join();
  BOOST_TEST(r.body == "alive");
}

BOOST_AUTO_TEST_CASE(responder_after_stop_or_destruction_does_nothing) {
  Stash stash;
  auto s = std::make_unique<Server>(stash.handler());
  TestResponse r1, r2;
  std::thread c1([&] { r1 = s->request("GET", "/stuck1"); });
  std::thread c2([&] { r2 = s->request("GET", "/stuck2"); });
  auto first = stash.responders.pop();
  auto second = stash.responders.pop();
  BOOST_REQUIRE(first && second);
  s->server.stop();
  c1.join();
  c2.join();
  BOOST_TEST(r1.status == 0);  // the connections were closed under them
  BOOST_TEST(r2.status == 0);
  (*first)(HttpResponse{});
  s->server.stop();  // idempotent
  s.reset();
  (*second)(HttpResponse{});
  second.reset();
  first.reset();
}

BOOST_AUTO_TEST_CASE(drain_refuses_new_connections_and_waits_for_answers_in_progress) {
  Stash stash;
  Server s(stash.handler());
  TestConnection keep_alive("127.0.0.1", s.port);
  BOOST_REQUIRE(keep_alive.send(s.get("/applied")));
  auto respond = stash.responders.pop();
  BOOST_REQUIRE(respond);
  std::atomic<bool> drained{false};
  std::thread drainer([&] {
    s.server.drain(std::chrono::seconds(20));
    drained = true;
  });
  bool refused = false;
  for (int i = 0; i < 400 && !refused; ++i) {
    TestConnection probe("127.0.0.1", s.port);
    refused = !probe.connected();
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  BOOST_TEST(refused);
  BOOST_TEST(!drained);  // the request already read has no answer yet
  (*respond)(HttpResponse{201, "application/json", R"({"ok":true})", {}});
  drainer.join();
  TestResponse r = keep_alive.read_response();
  BOOST_TEST(r.status == 201);
  BOOST_TEST(r.header("Connection") == "close");
  s.server.stop();
}

BOOST_AUTO_TEST_CASE(start_fails_cleanly_on_a_taken_port) {
  Server first(echo);
  net::HttpServerOptions o;
  o.port = first.port;
  net::HttpServer second(o, echo);
  auto r = second.start();
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(backbeat::test::error_class(r.error()) == "ListenFailed");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
