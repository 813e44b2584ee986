#pragma once
// HTTP/1.1 requests on the wire, without sockets: the parser with our
// limits, what a failed read is answered with, and the conversion between
// Beast's messages and ours. http_server.cpp drives these over a socket;
// the fuzz target (tests/fuzz) drives the same functions over raw bytes.
// Includes Beast, so only those two should include it.
#include <cstddef>
#include <optional>
#include <string_view>

#include <boost/beast/http.hpp>

#include "net/http_message.hpp"
#include "net/http_server.hpp"

namespace backbeat::net::wire {

namespace http = boost::beast::http;
using RequestParser = http::request_parser<http::string_body>;
using WireRequest = http::request<http::string_body>;
using WireResponse = http::response<http::string_body>;

// Sets the body and header limits of a fresh parser (one per request).
void limit(RequestParser& parser, const HttpServerOptions& options);

// After the header: the client holds its body back until we say 100 Continue.
bool expects_continue(const RequestParser& parser);

// The answer to a failed read, after which the connection closes; nullopt
// when the client went away (or the socket failed) and there is no one to
// answer.
std::optional<HttpResponse> read_error_response(const boost::system::error_code& ec,
                                                const HttpServerOptions& options);

// A complete message as the handler sees it.
HttpRequest to_request(WireRequest&& message);

// The server's own answer: HTTP's status for `error`, the body from
// `body` (plain text when it is null).
HttpResponse error_response(TransportError error, std::string message,
                            const TransportErrorBody& body);

// The handler's answer, for the wire. Handler output is not trusted to be
// valid HTTP: a bad status, header or content type becomes a 500 instead of
// an exception on an I/O thread.
WireResponse build(HttpResponse r, unsigned version, bool keep_alive,
                   const TransportErrorBody& error_body);

}  // namespace backbeat::net::wire
