// The server with http.tls_cert and http.tls_key: HTTPS only, TLS 1.2 or
// later, checked with libcurl verifying the certificate as a client would.
#include <curl/curl.h>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <memory>

#include "tests/net/http_server_fixture.hpp"
#include "tests/support/curl_request.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certificate.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::test {
namespace {

using namespace std::chrono_literals;

struct Tls {
  TempDir dir{"backbeat-tls"};
  TestCertificate cert = make_test_certificate(dir.path(), "server");

  net::HttpServerOptions options() const {
    net::HttpServerOptions o;
    o.tls_cert = cert.cert.string();
    o.tls_key = cert.key.string();
    return o;
  }
  CurlRequest request(const Server& s, const std::string& path) const {
    CurlRequest r;
    r.url = "https://127.0.0.1:" + std::to_string(s.port) + path;
    r.ca_file = cert.cert.string();
    return r;
  }
};

Error start_error(const net::HttpServerOptions& o) {
  net::HttpServer server(o, echo);
  auto started = server.start();
  BOOST_REQUIRE(!started.ok());
  BOOST_TEST(backbeat::test::error_class(started.error()) == "TlsSetupFailed");
  return started.error();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(http_server_tls, Tls)

BOOST_AUTO_TEST_CASE(https_requests_are_served_with_a_verified_certificate) {
  Server s(echo, options());
  CurlResult get = curl_request(request(s, "/hello?x=1"));
  BOOST_REQUIRE_MESSAGE(get.response.status == 200, get.error);
  BOOST_TEST(get.response.json()["path"] == "/hello");
  BOOST_TEST(get.response.header("X-Echo") == "yes");
  // Over 1 KiB: curl sends Expect: 100-continue, answered inside TLS too.
  CurlRequest post = request(s, "/things");
  post.method = "POST";
  post.body = std::string(4096, 'b');
  post.headers = {{"Content-Type", "text/plain"}, {"Expect", "100-continue"}};
  CurlResult posted = curl_request(post);
  BOOST_REQUIRE_MESSAGE(posted.response.status == 200, posted.error);
  BOOST_TEST(posted.response.json()["body"] == post.body);
  BOOST_TEST(posted.response.json()["expect"] == "100-continue");
}

BOOST_AUTO_TEST_CASE(a_client_that_does_not_trust_the_certificate_fails) {
  Server s(echo, options());
  CurlRequest r = request(s, "/");
  r.ca_file = make_test_certificate(dir.path(), "stranger").cert.string();
  CurlResult result = curl_request(r);
  BOOST_TEST(result.response.status == 0);
  BOOST_TEST(!result.error.empty());
  BOOST_TEST(curl_request(request(s, "/")).response.status == 200);
}

BOOST_AUTO_TEST_CASE(plain_http_to_the_https_port_fails_cleanly) {
  Server s(echo, options());
  TestConnection plain("127.0.0.1", s.port, 5s);
  BOOST_REQUIRE(plain.send(Server::get("/")));
  BOOST_TEST(plain.read_response().status == 0);  // no HTTP answer, only a TLS alert
  BOOST_TEST(plain.wait_closed());
  BOOST_TEST(s.server.counters().tls_handshake_failures >= 1);
  BOOST_TEST(curl_request(request(s, "/after")).response.status == 200);
}

BOOST_AUTO_TEST_CASE(a_stalled_handshake_is_cut_at_the_header_deadline) {
  net::HttpServerOptions o = options();
  o.header_timeout = 500ms;
  Server s(echo, o);
  const auto start = std::chrono::steady_clock::now();
  TestConnection silent("127.0.0.1", s.port, 5s);
  BOOST_REQUIRE(silent.send(std::string("\x16\x03\x01", 3)));  // the start of a ClientHello
  BOOST_TEST(silent.wait_closed());
  BOOST_TEST((std::chrono::steady_clock::now() - start < 5s));  // not the idle 75 s
  BOOST_TEST(curl_request(request(s, "/after")).response.status == 200);
}

BOOST_AUTO_TEST_CASE(tls_before_1_2_is_refused) {
  Server s(echo, options());
  CURL* easy = curl_easy_init();
  const std::string url = "https://127.0.0.1:" + std::to_string(s.port) + "/";
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_CAINFO, cert.cert.c_str());
  curl_easy_setopt(easy, CURLOPT_SSLVERSION,
                   long(CURL_SSLVERSION_TLSv1_0) | long(CURL_SSLVERSION_MAX_TLSv1_1));
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 10000L);
  const CURLcode rc = curl_easy_perform(easy);
  curl_easy_cleanup(easy);
  BOOST_TEST(rc != CURLE_OK);
}

BOOST_AUTO_TEST_CASE(refused_connections_are_answered_over_tls) {
  net::HttpServerOptions o = options();
  o.max_connections_per_address = 1;
  Server s(echo, o);
  TestConnection holder("127.0.0.1", s.port, 5s);  // accepted: it holds the slot
  BOOST_REQUIRE(holder.connected());
  CurlResult refused;
  for (int i = 0; i < 100 && refused.response.status != 503; ++i)
    refused = curl_request(request(s, "/"));  // until the holder surely counts
  BOOST_TEST(refused.response.status == 503, refused.error);
  BOOST_TEST(refused.response.header("Retry-After") == "1");
  BOOST_TEST(refused.response.json()["errorClass"] == "Backbeat::TooManyConnections");
}

// Before, a refused connection had the whole header_timeout for its
// handshake while holding no slot: a cheap way to hold sockets.
BOOST_AUTO_TEST_CASE(a_refused_connection_that_stalls_its_handshake_is_cut_soon) {
  net::HttpServerOptions o = options();
  o.max_connections_per_address = 1;
  Server s(echo, o);  // header_timeout: the default 10 s
  TestConnection holder("127.0.0.1", s.port, 5s);
  BOOST_REQUIRE(holder.connected());
  CurlResult refused;
  for (int i = 0; i < 100 && refused.response.status != 503; ++i)
    refused = curl_request(request(s, "/"));  // until the holder surely counts
  BOOST_REQUIRE(refused.response.status == 503);
  const auto start = std::chrono::steady_clock::now();
  TestConnection silent("127.0.0.1", s.port, 5s);
  BOOST_REQUIRE(silent.send(std::string("\x16\x03\x01", 3)));
  BOOST_TEST(silent.wait_closed());
  const auto took = std::chrono::steady_clock::now() - start;
  BOOST_TEST((took >= 1500ms && took < 6s));  // 2 s, not header_timeout's 10
}

BOOST_AUTO_TEST_CASE(bad_certificates_and_keys_fail_the_start_with_a_reason) {
  net::HttpServerOptions o = options();
  o.tls_key.clear();
  BOOST_TEST(start_error(o).message.find("one was given without the other") != std::string::npos);

  o = options();
  o.tls_cert = (dir.path() / "missing.crt").string();
  BOOST_TEST(start_error(o).message ==
             "cannot read the TLS certificate " + o.tls_cert + ": No such file or directory");

  o = options();
  o.tls_cert = o.tls_key;  // a key is no certificate
  BOOST_TEST(start_error(o).message.find("cannot load the TLS certificate") == 0);

  o = options();
  o.tls_key = make_test_certificate(dir.path(), "other").key.string();
  BOOST_TEST(start_error(o).message.find("does not belong to the certificate") != std::string::npos,
             start_error(o).message);

  // OpenSSL would ask for the passphrase on the terminal and hang the start.
  const TestCertificate locked = make_test_certificate(dir.path(), "locked", "secret");
  o.tls_cert = locked.cert.string();
  o.tls_key = locked.key.string();
  BOOST_TEST(start_error(o).message.find("an unencrypted PEM key is needed") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
