// libFuzzer target: one request body (or query string) through the
// parameter parsing of the API (JSON, forms with Rack's nested keys,
// key normalisation) and then through the decoder of every endpoint
// (tests/fuzz/endpoint_inputs): workflow create and lookup, signals and
// decisions (node specs), status reports, search, users, drain... Each must
// answer a value or an error value: an exception escaping is a crash here.
// The raw JSON document also goes to every decoder as is, whatever its
// shape, and the text helpers the decoders lean on are checked for their
// promises (ISO-8601 round trip, UTF-8 repair, dumps that never throw).
//
// Input: byte 0 chooses the Content-Type and the :status route word; the
// rest is the body.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "actors/api/call.hpp"
#include "actors/api/routing.hpp"
#include "net/contract/error_body.hpp"
#include "net/contract/iso_time.hpp"
#include "net/contract/json_text.hpp"
#include "net/contract/params.hpp"
#include "tests/fuzz/endpoint_inputs.hpp"

namespace {

using namespace backbeat;

constexpr std::string_view kContentTypes[] = {
    "application/json", "application/x-www-form-urlencoded", "", "text/plain; charset=utf-8",
    "application/vnd.backbeat+json", "Application/JSON ; q=1", "multipart/form-data", "*/*"};
constexpr std::string_view kStatusWords[] = {"processing", "completed", "errored",  "resolved",
                                             "canceled",   "deactivated", "deciding_complete", "bogus"};

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "fuzz_json_decoding: %s: %.*s\n", what, int(detail.size()), detail.data());
  std::abort();
}

// Through Api::handle's parameter step, as a request to some route with :id
// and :status captured, then every decoder.
void as_request(std::string_view body, uint8_t selector) {
  net::HttpRequest req;
  req.method = "POST";
  req.target = "/";
  req.headers.emplace_back("Content-Type", std::string(kContentTypes[selector & 0x7]));
  req.body = std::string(body);
  const contract::RouteParams captured = {{"id", "8c2b3f52-6c39-4d0c-9a3e-6f8ef1a2b0c4"},
                                     {"status", std::string(kStatusWords[(selector >> 3) & 0x7])}};
  auto params = actors::api::request_params(req, captured);
  if (!params) {
    (void)contract::error_response(params.error());
    return;
  }
  fuzz::decode_for_every_route(*params);
}

// The query-string carrier: the same form parser, no Content-Type.
void as_query(std::string_view text) {
  auto params = contract::parse_query(text);
  if (params) fuzz::decode_for_every_route(contract::normalize_keys(*params));
}

// A JSON document of any shape straight into the decoders and the key
// transformations.
void as_document(std::string_view text) {
  auto doc = contract::parse_json_text(text, "body");
  if (!doc) return;
  fuzz::decode_for_every_route(*doc);
  (void)contract::dump_json(contract::normalize_keys(*doc));
  (void)contract::dump_json(contract::camelize_keys(*doc));
}

void text_helpers(std::string_view text) {
  if (const auto t = contract::parse_iso8601(text)) {
    // Whatever we accept we print, and what we print reads back the same.
    const std::string printed = contract::format_iso8601_ms(*t);
    const auto again = contract::parse_iso8601(printed);
    if (!again || *again != *t) fail("ISO-8601 round trip", printed);
  }
  if (!contract::is_valid_utf8(contract::to_valid_utf8(text))) fail("to_valid_utf8 left invalid UTF-8", text);
  (void)contract::dump_json(nlohmann::json(std::string(text)));
  (void)contract::parse_stored_json(text);
  (void)contract::underscore(text);
  (void)contract::camelize(text);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::require_every_route_covered();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  as_request(text, data[0]);
  as_query(text);
  as_document(text);
  text_helpers(text);
  return 0;
}
