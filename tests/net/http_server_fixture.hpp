#pragma once
// Shared by the http_server_*_test files: a server on a free loopback port,
// and handlers that echo or hold their requests.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <utility>

#include "net/contract/error_body.hpp"
#include "net/http_server.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/mailbox.hpp"

namespace backbeat::test {

using net::HttpRequest;
using net::HttpResponse;
using net::Responder;

// Answers with what it received, so a test can see the request as parsed.
inline void echo(HttpRequest&& req, Responder respond) {
  nlohmann::json j{{"method", req.method},
                   {"path", req.path()},
                   {"query", req.query()},
                   {"body", req.body},
                   {"expect", req.header("Expect")}};
  respond(HttpResponse{200, "application/json", j.dump(), {{"X-Echo", "yes"}}});
}

// The server's own answers worded as Backbeat words them, as in the binary.
inline net::HttpServerOptions with_contract_bodies(net::HttpServerOptions o) {
  if (!o.error_body) o.error_body = contract::transport_error_body;
  return o;
}

struct Server {
  explicit Server(net::HttpHandler handler, net::HttpServerOptions options = {})
      : server(with_contract_bodies(std::move(options)), std::move(handler)) {
    auto started = server.start();
    BOOST_REQUIRE_MESSAGE(started.ok(), "start failed: " + (started.ok() ? std::string() : started.error().message));
    port = *started;
  }
  TestResponse request(const std::string& method, const std::string& target,
                       const std::string& body = "", Headers headers = {}) {
    return http_request("127.0.0.1", port, method, target, body, std::move(headers));
  }
  static std::string get(const std::string& path) {
    return "GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n";
  }

  net::HttpServer server;
  uint16_t port = 0;
};

// Keeps every Responder so the test decides when (and whether) to answer.
struct Stash {
  net::HttpHandler handler() {
    return [this](HttpRequest&& req, Responder respond) {
      requests.push(std::move(req));
      responders.push(std::move(respond));
    };
  }
  Mailbox<HttpRequest> requests;
  Mailbox<Responder> responders;
};

}  // namespace backbeat::test
