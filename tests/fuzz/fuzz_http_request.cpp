// libFuzzer target: the raw bytes of one client connection, through what the
// server does with them. The same Beast parser with the same limits
// (net/http_wire), one request after another while the connection is kept
// alive (pipelining), then the API's routing, parameter parsing, credential
// parsing and the matched handler's input decoding (tests/fuzz/
// endpoint_inputs), and the answer encoded for the wire, which must parse
// back as one valid HTTP response.
//
// Input: byte 0 chooses how the bytes arrive (chunk size: every split a
// socket could make) and whether tiny limits apply (so that 413 and 431 are
// reachable with small inputs); the rest is what the client sent.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "actors/api/auth.hpp"
#include "actors/api/routing.hpp"
#include "net/contract/error_body.hpp"
#include "net/http_wire.hpp"
#include "tests/fuzz/byte_stream.hpp"
#include "tests/fuzz/endpoint_inputs.hpp"

namespace {

using namespace backbeat;
namespace http = boost::beast::http;
using boost::system::error_code;

// Far more than a 4 KiB input can hold; only a bound for the loop.
constexpr int kMaxRequestsPerConnection = 1000;

// Bit 7: limits small enough for a 4 KiB input to reach 413 and 431, sized
// by bits 0-4; otherwise the server's defaults.
net::HttpServerOptions options_for(uint8_t mode) {
  net::HttpServerOptions o;
  o.error_body = contract::transport_error_body;
  if (mode & 0x80) {
    o.max_header_bytes = 32 + (mode & 0x1f) * 16;
    o.max_body_bytes = (mode & 0x1f) * 8;
  }
  return o;
}

// Bits 4-6: how many bytes each read hands the parser.
size_t chunk_for(uint8_t mode) {
  static constexpr size_t kChunks[] = {1, 2, 3, 7, 16, 64, 1024, 1 << 20};
  return kChunks[(mode >> 4) & 0x7];
}

// Api::handle up to where it would look the user up and run the handler.
net::HttpResponse answer(const net::HttpRequest& req) {
  namespace api = actors::api;
  auto found = api::find_route(req.method, req.path());
  if (!found) return contract::error_response(found.error());
  auto params = api::request_params(req, found->captured);
  if (!params) return contract::error_response(params.error());
  (void)api::bearer_token(req.header("Authorization"));
  (void)api::client_id(req);
  auto decoded = fuzz::decode_for_route(*found->route, *params);
  if (!decoded) return contract::error_response(decoded.error());
  return net::HttpResponse{200, "application/json", "{}", {}};
}

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "fuzz_http_request: %s: %.*s\n", what, int(detail.size()), detail.data());
  std::abort();
}

// What the server wrote for one answer must read back as exactly one
// complete HTTP response.
void require_one_response(std::string_view bytes) {
  fuzz::ByteStream in(bytes, bytes.size());
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(bytes.size());
  error_code ec;
  http::read(in, buffer, parser, ec);
  if (ec) fail("the server wrote an invalid response", bytes);
  if (buffer.size() != 0) fail("the server wrote bytes after its response", bytes);
}

template <class Message>
void send(fuzz::ByteStream& stream, Message& message) {
  error_code ec;
  http::write(stream, message, ec);
  if (ec) fail("writing a response failed", ec.message());
  require_one_response(stream.take_written());
}

void serve_connection(std::string_view bytes, uint8_t mode) {
  const net::HttpServerOptions options = options_for(mode);
  fuzz::ByteStream stream(bytes, chunk_for(mode));
  boost::beast::flat_buffer buffer;
  for (int i = 0; i < kMaxRequestsPerConnection; ++i) {
    // One Session::read_header .. on_body round, synchronously.
    net::wire::RequestParser parser;
    net::wire::limit(parser, options);
    error_code ec;
    http::read_header(stream, buffer, parser, ec);
    if (!ec && net::wire::expects_continue(parser)) {
      http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
      send(stream, go_on);
    }
    if (!ec) http::read(stream, buffer, parser, ec);
    if (ec) {
      const unsigned version = parser.is_header_done() ? parser.get().version() : 11;
      if (auto r = net::wire::read_error_response(ec, options)) {
        auto res = net::wire::build(std::move(*r), version, false, options.error_body);
        send(stream, res);
      }
      return;  // the server closes
    }
    auto message = parser.release();
    const bool keep_alive = message.keep_alive();
    const unsigned version = message.version();
    auto res = net::wire::build(answer(net::wire::to_request(std::move(message))), version,
                                keep_alive, options.error_body);
    send(stream, res);
    if (!keep_alive) return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::require_every_route_covered();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  serve_connection(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), data[0]);
  return 0;
}
