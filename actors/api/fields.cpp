#include "actors/api/fields.hpp"

#include <charconv>

#include "actors/api/call.hpp"
#include "net/contract/iso_time.hpp"

namespace backbeat::actors::api {
namespace {

Error wrong_type(std::string_view key, std::string_view expected) {
  return bad_request(std::string(key) + " must be " + std::string(expected));
}

}  // namespace

bool has(const Json& params, std::string_view key) {
  auto it = params.find(key);
  return it != params.end() && !it->is_null();
}

Result<std::optional<std::string>> opt_string(const Json& params, std::string_view key) {
  if (!has(params, key)) return std::optional<std::string>{};
  const Json& v = params[std::string(key)];
  if (!v.is_string()) return wrong_type(key, "a string");
  return std::optional<std::string>{v.get<std::string>()};
}

Result<std::string> req_string(const Json& params, std::string_view key) {
  auto v = opt_string(params, key);
  if (!v) return v.error();
  if (!*v || (*v)->empty()) return bad_request(std::string(key) + " is required");
  return **v;
}

Result<std::optional<int64_t>> opt_int(const Json& params, std::string_view key) {
  if (!has(params, key)) return std::optional<int64_t>{};
  const Json& v = params[std::string(key)];
  if (v.is_number_integer()) return std::optional<int64_t>{v.get<int64_t>()};
  if (v.is_number_float()) {
    const double d = v.get<double>();
    // Outside this range the conversion itself is undefined.
    if (d > -9.2e18 && d < 9.2e18 && d == double(int64_t(d)))
      return std::optional<int64_t>{int64_t(d)};
  }
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    int64_t out = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc{} && end == s.data() + s.size() && !s.empty())
      return std::optional<int64_t>{out};
  }
  return wrong_type(key, "an integer");
}

Result<std::optional<Uuid>> opt_uuid(const Json& params, std::string_view key) {
  auto s = opt_string(params, key);
  if (!s) return s.error();
  if (!*s) return std::optional<Uuid>{};
  auto id = Uuid::parse(**s);
  if (!id) return wrong_type(key, "a UUID");
  return std::optional<Uuid>{*id};
}

Result<std::optional<Millis>> opt_time(const Json& params, std::string_view key) {
  auto s = opt_string(params, key);
  if (!s) return s.error();
  if (!*s) return std::optional<Millis>{};
  auto t = contract::parse_iso8601(**s);
  if (!t) return wrong_type(key, "an ISO-8601 time");
  return std::optional<Millis>{*t};
}

Result<Uuid> id_from_path(const std::string& text) {
  auto id = Uuid::parse(text);
  if (!id)
    return make_error(Error::Kind::malformed_id,
                      "invalid input syntax for type uuid: \"" + text + "\"");
  return *id;
}

}  // namespace backbeat::actors::api
