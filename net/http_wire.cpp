#include "net/http_wire.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace backbeat::net::wire {
namespace {

bool has_line_break(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

WireResponse encode(HttpResponse r, unsigned version, bool keep_alive) {
  // A 1xx final answer would desynchronise the connection; Beast throws on
  // codes above 999 and on bodies for 204/304.
  if (r.status < 200 || r.status > 999) throw std::invalid_argument("status");
  WireResponse res;
  res.version(version);
  res.result(static_cast<unsigned>(r.status));
  for (auto& [name, value] : r.headers) {
    if (name.empty() || has_line_break(name) || has_line_break(value))
      throw std::invalid_argument("header");
    res.insert(name, value);
  }
  if (!r.content_type.empty()) {
    if (has_line_break(r.content_type)) throw std::invalid_argument("content type");
    res.set(http::field::content_type, r.content_type);
  }
  res.keep_alive(keep_alive);
  res.body() = std::move(r.body);
  res.prepare_payload();
  return res;
}

}  // namespace

void limit(RequestParser& parser, const HttpServerOptions& options) {
  parser.body_limit(options.max_body_bytes);
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<size_t>(options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
}

bool expects_continue(const RequestParser& parser) {
  const auto& req = parser.get();
  return !parser.is_done() && req.version() >= 11 &&
         boost::beast::iequals(req[http::field::expect], "100-continue");
}

std::optional<HttpResponse> read_error_response(const boost::system::error_code& ec,
                                                const HttpServerOptions& options) {
  static const auto& http_errors = http::make_error_code(http::error::end_of_stream).category();
  if (ec == http::error::body_limit)
    return error_response(
        TransportError::body_too_large,
        "request body exceeds " + std::to_string(options.max_body_bytes) + " bytes",
        options.error_body);
  if (ec == http::error::header_limit)
    return error_response(
        TransportError::headers_too_large,
        "request header exceeds " + std::to_string(options.max_header_bytes) + " bytes",
        options.error_body);
  // end_of_stream and partial_message mean the client went away.
  if (&ec.category() == &http_errors && ec != http::error::end_of_stream &&
      ec != http::error::partial_message)
    return error_response(TransportError::malformed, "malformed HTTP: " + ec.message(),
                          options.error_body);
  return std::nullopt;
}

HttpRequest to_request(WireRequest&& message) {
  HttpRequest req;
  req.method = std::string(message.method_string());
  req.target = std::string(message.target());
  for (const auto& field : message)
    req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  req.body = std::move(message.body());
  return req;
}

namespace {

// HTTP's own status for each of the server's answers.
int status_of(TransportError error) {
  switch (error) {
    case TransportError::malformed: return 400;
    case TransportError::body_too_large: return 413;
    case TransportError::headers_too_large: return 431;
    case TransportError::too_many_from_address:
    case TransportError::too_many_connections: return 503;
    case TransportError::no_response: return 500;
  }
  return 500;
}

}  // namespace

HttpResponse error_response(TransportError error, std::string message,
                            const TransportErrorBody& body) {
  HttpResponse r;
  r.status = status_of(error);
  if (body) {
    r.body = body(error, message);
  } else {
    r.content_type = "text/plain";
    r.body = std::move(message);
  }
  return r;
}

WireResponse build(HttpResponse r, unsigned version, bool keep_alive,
                   const TransportErrorBody& error_body) {
  try {
    return encode(std::move(r), version, keep_alive);
  } catch (const std::exception&) {
    return encode(error_response(TransportError::no_response,
                                 "the handler produced an invalid response", error_body),
                  version, keep_alive);
  }
}

}  // namespace backbeat::net::wire
