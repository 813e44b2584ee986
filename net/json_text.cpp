#include "net/json_text.hpp"

namespace backbeat::net {
namespace {

using nlohmann::json;

// Builds the DOM through nlohmann's own SAX builder but keeps the parse error
// as text (the non-throwing parse() discards it) and caps nesting depth.
class CheckedSax {
 public:
  explicit CheckedSax(json& out) : dom_(out, /*allow_exceptions=*/false) {}

  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) {
    return dom_.number_float(v, s);
  }
  bool string(json::string_t& v) { return dom_.string(v); }
  bool binary(json::binary_t& v) { return dom_.binary(v); }
  bool start_object(std::size_t n) { return deeper() && dom_.start_object(n); }
  bool key(json::string_t& k) { return dom_.key(k); }
  bool end_object() { --depth_; return dom_.end_object(); }
  bool start_array(std::size_t n) { return deeper() && dom_.start_array(n); }
  bool end_array() { --depth_; return dom_.end_array(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    // Drop nlohmann's "[json.exception.parse_error.101] " tag: noise to a client.
    std::string_view what = e.what();
    const auto tag_end = what.find("] ");
    // Its "last read: '...'" echoes raw input, which may be the bad UTF-8.
    error_ = to_valid_utf8(what.substr(tag_end == std::string_view::npos ? 0 : tag_end + 2));
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  bool deeper() {
    if (++depth_ <= kMaxJsonDepth) return true;
    error_ = "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  int depth_ = 0;
  std::string error_;
};

// Length of the well-formed UTF-8 sequence at s[i], 0 if there is none
// (overlong forms, surrogates and code points past U+10FFFF are not).
size_t utf8_length_at(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const size_t len = c < 0x80           ? 1
                     : (c >> 5) == 0x6  ? 2
                     : (c >> 4) == 0xE  ? 3
                     : (c >> 3) == 0x1E ? 4
                                        : 0;
  if (len == 0 || i + len > s.size()) return 0;
  uint32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc >> 6) != 0x2) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

template <class Json>
std::string dump_replacing(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

Result<json> parse_json_text(std::string_view text, std::string_view what) {
  json out;
  CheckedSax sax(out);
  const bool ok = json::sax_parse(text.begin(), text.end(), &sax);
  if (ok) return out;
  return make_error(Error::Kind::bad_request, "Backbeat::BadRequest",
                    "Malformed JSON " + std::string(what) + ": " + sax.error());
}

nlohmann::ordered_json parse_stored_json(std::string_view text) {
  auto parsed = nlohmann::ordered_json::parse(text.begin(), text.end(), nullptr, false);
  if (parsed.is_discarded()) return std::string(text);
  return parsed;
}

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0, n = 0; i < s.size(); i += n)
    if ((n = utf8_length_at(s, i)) == 0) return false;
  return true;
}

std::string to_valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8_length_at(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string dump_json(const nlohmann::json& j) { return dump_replacing(j); }
std::string dump_json(const nlohmann::ordered_json& j) { return dump_replacing(j); }

}  // namespace backbeat::net
