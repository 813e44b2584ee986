#include "net/contract/json_text.hpp"

#include <optional>
#include <utility>
#include <vector>

namespace backbeat::contract {
namespace {

using nlohmann::json;

// Builds the DOM itself, keeping the parse error as text (the non-throwing
// parse() discards it) and capping nesting depth. nlohmann's own DOM builder
// keeps the last of two equal keys without a word; a key sent twice is a
// client bug or an attempt to have two readers of one body (a proxy, a log,
// us) see different values, so it is refused. Knowing the object a key goes
// into, that costs nothing: the insertion looks the key up anyway.
class CheckedSax {
 public:
  explicit CheckedSax(json& out) : root_(out) {}

  bool null() { return put(nullptr); }
  bool boolean(bool v) { return put(v); }
  bool number_integer(json::number_integer_t v) { return put(v); }
  bool number_unsigned(json::number_unsigned_t v) { return put(v); }
  bool number_float(json::number_float_t v, const json::string_t&) { return put(v); }
  bool string(json::string_t& v) { return put(std::move(v)); }
  bool binary(json::binary_t& v) { return put(json::binary(std::move(v))); }
  bool start_object(std::size_t) { return deeper() && open(json::object()); }
  bool key(json::string_t& k) {
    auto& object = open_.back()->get_ref<json::object_t&>();
    // try_emplace leaves k alone when the key is already there.
    auto [slot, fresh] = object.try_emplace(std::move(k));
    if (!fresh) return duplicate(k);
    slot_ = &slot->second;
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return deeper() && open(json::array()); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    // Drop nlohmann's "[json.exception.parse_error.101] " tag: noise to a client.
    std::string_view what = e.what();
    const auto tag_end = what.find("] ");
    // Its "last read: '...'" echoes raw input, which may be the bad UTF-8.
    error_ = to_valid_utf8(what.substr(tag_end == std::string_view::npos ? 0 : tag_end + 2));
    return false;
  }

  const std::string& error() const { return error_; }
  // The key sent twice, and the JSON pointer of the object holding it.
  const std::optional<std::pair<std::string, std::string>>& duplicate_key() const {
    return duplicate_;
  }

 private:
  // The next value goes to the root, the end of the open array, or the slot
  // of the key just read. Open containers are never moved while open: only
  // the innermost one grows.
  json* place(json&& v) {
    if (open_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    json& parent = *open_.back();
    if (parent.is_array()) {
      auto& array = parent.get_ref<json::array_t&>();
      array.push_back(std::move(v));
      return &array.back();
    }
    *slot_ = std::move(v);
    return slot_;
  }

  template <class T>
  bool put(T&& v) {
    place(json(std::forward<T>(v)));
    return true;
  }

  bool open(json&& container) {
    open_.push_back(place(std::move(container)));
    return true;
  }

  bool close() {
    --depth_;
    open_.pop_back();
    return true;
  }

  bool deeper() {
    if (++depth_ <= kMaxJsonDepth) return true;
    error_ = "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }

  // Only on the error path: which key or index of each open container leads
  // to the next one.
  bool duplicate(const std::string& key) {
    std::string at;
    for (size_t i = 1; i < open_.size(); ++i) {
      const json& parent = *open_[i - 1];
      if (parent.is_array()) {
        at += "/" + std::to_string(open_[i] - &parent.front());
        continue;
      }
      for (auto it = parent.begin(); it != parent.end(); ++it)
        if (&*it == open_[i]) at += "/" + json_pointer_token(it.key());
    }
    duplicate_.emplace(key, std::move(at));
    return false;
  }

  json& root_;
  std::vector<json*> open_;
  json* slot_ = nullptr;
  int depth_ = 0;
  std::string error_;
  std::optional<std::pair<std::string, std::string>> duplicate_;
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
  if (const auto& dup = sax.duplicate_key())
    return duplicate_key_error(dup->first, what, dup->second);
  return make_error(Error::Kind::bad_request,
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

std::string json_pointer_token(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

Error duplicate_key_error(std::string_view key, std::string_view what, std::string_view at,
                          std::string_view detail) {
  std::string message = "Duplicate key '" + to_valid_utf8(key) + "' in " + std::string(what);
  if (!detail.empty() || !at.empty()) {
    message += " (";
    message += detail;
    if (!detail.empty() && !at.empty()) message += ", ";
    if (!at.empty()) message += "at " + to_valid_utf8(at);
    message += ")";
  }
  return make_error(Error::Kind::duplicate_key, std::move(message));
}

std::string dump_json(const nlohmann::json& j) { return dump_replacing(j); }
std::string dump_json(const nlohmann::ordered_json& j) { return dump_replacing(j); }

}  // namespace backbeat::contract
