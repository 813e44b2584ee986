#pragma once
// The HTTP request and response as the rest of Backbeat sees them: plain
// values, no Beast types, so the gateway and tests need no Beast headers.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace backbeat::net {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path plus query string, as received
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Case-insensitive; empty when absent.
  std::string_view header(std::string_view name) const;
  std::string_view path() const;   // target up to '?'
  std::string_view query() const;  // after '?', or empty
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::string_view header(std::string_view name) const;      // case-insensitive; "" if absent
};

// Why the server answered a request by itself. The status each gets is
// HTTP's (400, 413, 431, 503, 500); the body is the owner's to word.
enum class TransportError {
  malformed,              // not HTTP/1.1 we can parse
  body_too_large,         // past max_body_bytes
  headers_too_large,      // past max_header_bytes
  too_many_from_address,  // past max_connections_per_address
  too_many_connections,   // past max_connections
  no_response,            // the handler dropped its Responder, or answered invalid HTTP
};
using TransportErrorBody = std::function<std::string(TransportError, std::string_view message)>;

// Completes one request. Callable from any thread, exactly once.
using Responder = std::function<void(HttpResponse)>;
using HttpHandler = std::function<void(HttpRequest&&, Responder)>;

}  // namespace backbeat::net
