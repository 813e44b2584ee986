#pragma once
// How an Error is shown to a client: the one place that turns an error kind
// into an HTTP status and a class name (docs/contract.md §2.5), so the
// engine, the store and the actors only ever name kinds.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/error.hpp"
#include "net/http_message.hpp"

namespace backbeat::contract {

struct WireError {
  int status;                    // 400, 404, 409, 503, ...
  std::string_view error_class;  // "Backbeat::InvalidClientStatusChange", ...
};

WireError wire_error(Error::Kind kind);

// {"errorClass","message"[, each detail camelised]}, e.g. the
// "currentStatus"/"attemptedStatus" of an illegal transition; an
// unauthorized error is {"error":"Unauthorized"} whatever its message.
nlohmann::ordered_json error_body(const Error& error);

// The whole answer: status, body, and Retry-After: 1 when the same request
// may succeed shortly (429, 503).
net::HttpResponse error_response(const Error& error);

// The body the HTTP server sends when it answers by itself (a malformed or
// oversized request, too many connections, a handler that never answered):
// the same shape, with the original's class names for those cases.
std::string transport_error_body(net::TransportError error, std::string_view message);

}  // namespace backbeat::contract
