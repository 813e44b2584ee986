#include "net/contract/params.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "net/contract/json_text.hpp"

namespace backbeat::contract {
namespace {

using nlohmann::json;

// Rack's param_depth_limit is 100; nothing legitimate comes close to this.
constexpr int kMaxFormDepth = 32;

Error bad_request(std::string message) {
  return make_error(Error::Kind::bad_request, std::move(message));
}

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_upper(c) || is_lower(c) || is_digit(c); }
char to_lower(char c) { return is_upper(c) ? char(c - 'A' + 'a') : c; }
char to_upper(char c) { return is_lower(c) ? char(c - 'a' + 'A') : c; }

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// URI.decode_www_form_component: '+' is a space; a '%' not followed by two
// hex digits is an error, as in Ruby.
Result<std::string> decode_component(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] != '%') {
      out += s[i];
    } else {
      const int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
      const int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
      if (lo < 0) return bad_request("Invalid %-encoding in parameter '" + to_valid_utf8(s) + "'");
      out += char(hi * 16 + lo);
      i += 2;
    }
  }
  // Form values go into JSON strings, and dumping invalid UTF-8 throws;
  // refusing it here keeps every later dump of the parameters safe.
  if (!is_valid_utf8(out))
    return bad_request("Parameter is not valid UTF-8: '" + to_valid_utf8(s) + "'");
  return out;
}

enum class Insert { ok, clash, too_deep, duplicate };

// Rack 2's params_hash_has_key?: does "[x][y]" already lead somewhere in h?
bool has_nested_key(const json& h, std::string_view key) {
  if (key.find("[]") != std::string_view::npos) return false;
  const json* cur = &h;
  size_t i = 0;
  while (i < key.size()) {
    const size_t b = key.find_first_not_of("[]", i);
    if (b == std::string_view::npos) break;
    const size_t e = std::min(key.find_first_of("[]", b), key.size());
    const std::string part(key.substr(b, e - b));
    if (!cur->is_object() || !cur->contains(part)) return false;
    cur = &(*cur)[part];
    i = e;
  }
  return true;
}

// A port of Rack's normalize_params: "a[b][]" style names into nested values.
Insert insert_param(json& params, std::string_view name, const json& value, int depth) {
  if (depth > kMaxFormDepth) return Insert::too_deep;
  // name =~ /\A[\[\]]*([^\[\]]+)\]*/ ; k = $1, after = $'
  const size_t kb = name.find_first_not_of("[]");
  if (kb == std::string_view::npos) return Insert::ok;  // empty key: Rack ignores it
  const size_t ke = std::min(name.find_first_of("[]", kb), name.size());
  const std::string k(name.substr(kb, ke - kb));
  size_t a = ke;
  while (a < name.size() && name[a] == ']') ++a;
  const std::string_view after = name.substr(a);

  // Rack keeps the last of two equal names; a name sent twice is refused
  // instead, so that no two readers of one request can see different values.
  if (after.empty()) return params.emplace(k, value).second ? Insert::ok : Insert::duplicate;
  if (after == "[")  // Rack keeps the whole raw name in this odd case
    return params.emplace(std::string(name), value).second ? Insert::ok : Insert::duplicate;
  json& slot = params[k];
  if (after.substr(0, 2) == "[]") {
    if (slot.is_null()) slot = json::array();
    if (!slot.is_array()) return Insert::clash;
    if (after.size() == 2) {
      slot.push_back(value);
      return Insert::ok;
    }
    // "[][x]" names the child key "x"; "[]<rest>" names "<rest>".
    std::string_view child = after.substr(2);
    if (child.size() > 2 && child.front() == '[' && child.back() == ']' &&
        child.substr(1, child.size() - 2).find_first_of("[]") == std::string_view::npos)
      child = child.substr(1, child.size() - 2);
    if (!slot.empty() && slot.back().is_object() && !has_nested_key(slot.back(), child))
      return insert_param(slot.back(), child, value, depth + 1);
    json fresh = json::object();
    const Insert r = insert_param(fresh, child, value, depth + 1);
    slot.push_back(std::move(fresh));
    return r;
  }
  if (slot.is_null()) slot = json::object();
  if (!slot.is_object()) return Insert::clash;
  return insert_param(slot, after, value, depth + 1);
}

Result<json> parse_form(std::string_view text, std::string_view what) {
  json params = json::object();
  size_t i = 0;
  while (i <= text.size()) {
    // Rack splits on /[&;] */: separators, then any spaces after them.
    const size_t end = std::min(text.find_first_of("&;", i), text.size());
    const std::string_view pair = text.substr(i, end - i);
    i = end + 1;
    while (i < text.size() && text[i] == ' ') ++i;
    if (pair.empty()) continue;

    const size_t eq = pair.find('=');
    auto name = decode_component(pair.substr(0, eq));
    if (!name) return name.error();
    json value = nullptr;
    if (eq != std::string_view::npos) {
      auto v = decode_component(pair.substr(eq + 1));
      if (!v) return v.error();
      value = std::move(*v);
    }
    switch (insert_param(params, *name, value, 0)) {
      case Insert::ok: break;
      case Insert::clash:
        return bad_request("Invalid parameter '" + *name +
                           "': conflicts with an earlier parameter of another shape");
      case Insert::too_deep:
        return bad_request("Invalid parameter '" + *name + "': nested too deeply");
      case Insert::duplicate:
        return duplicate_key_error(*name, what, "");
    }
  }
  return params;
}

std::string media_type(std::string_view content_type) {
  std::string_view t = content_type.substr(0, content_type.find(';'));
  const auto b = t.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  t = t.substr(b, t.find_last_not_of(" \t") - b + 1);
  std::string out(t);
  std::transform(out.begin(), out.end(), out.begin(), to_lower);
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Result<json> parse_json_object(std::string_view body) {
  auto parsed = parse_json_text(body, "body");
  if (!parsed) return parsed;
  if (!parsed->is_object())
    return bad_request(std::string("JSON body must be an object, not ") + parsed->type_name());
  return parsed;
}

// Shared by underscore and camelize users: rebuild every object with new
// keys. Keys that the conversion leaves alone go in last so that they win a
// collision; `verbatim(new_key)` stops the descent below that key.
template <class Json, class KeyFn, class VerbatimFn>
Json transform_keys(const Json& v, const KeyFn& convert, const VerbatimFn& verbatim) {
  if (v.is_array()) {
    Json out = Json::array();
    for (const auto& e : v) out.push_back(transform_keys(e, convert, verbatim));
    return out;
  }
  if (!v.is_object()) return v;
  Json out = Json::object();
  for (const bool unchanged_pass : {false, true}) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      std::string key = convert(it.key());
      if ((key == it.key()) != unchanged_pass) continue;
      out[key] = verbatim(key) ? it.value() : transform_keys(it.value(), convert, verbatim);
    }
  }
  return out;
}

template <class Json>
Json camelize_all(const Json& v) {
  return transform_keys(v, camelize, [](const std::string&) { return false; });
}

// Values normalize_keys copies as the client sent them.
bool is_verbatim(std::string_view snake_key) {
  return snake_key == "client_data" || snake_key == "metadata";
}

// underscore() changes exactly the keys with an upper-case letter, a '-' or
// a "::"; telling them apart needs no allocation.
bool underscore_changes(std::string_view key) {
  for (char c : key)
    if (is_upper(c) || c == '-') return true;
  return key.find("::") != std::string_view::npos;
}

// Two keys of one object that normalize_keys would turn into one.
struct Collision {
  std::string first, second, snake;
  std::string at;  // JSON pointer of the object holding them
};

// Only the keys underscore() changes can collide: the others already differ.
std::optional<Collision> collision_in_object(const json& object) {
  std::vector<std::pair<std::string, const std::string*>> changed;  // snake spelling, original
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!underscore_changes(it.key())) continue;
    std::string snake = underscore(it.key());
    if (object.contains(snake)) return Collision{it.key(), snake, snake, ""};
    changed.emplace_back(std::move(snake), &it.key());
  }
  std::sort(changed.begin(), changed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : *a.second < *b.second;
  });
  for (size_t i = 1; i < changed.size(); ++i)
    if (changed[i].first == changed[i - 1].first)
      return Collision{*changed[i - 1].second, *changed[i].second, changed[i].first, ""};
  return std::nullopt;
}

// Depth is bounded by the parsers (kMaxJsonDepth, kMaxFormDepth).
std::optional<Collision> find_collision(const json& v) {
  if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i)
      if (auto c = find_collision(v[i])) {
        c->at = "/" + std::to_string(i) + c->at;
        return c;
      }
    return std::nullopt;
  }
  if (!v.is_object()) return std::nullopt;
  if (auto c = collision_in_object(v)) return c;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it->is_structured()) continue;
    const std::string& key = it.key();
    if (is_verbatim(underscore_changes(key) ? underscore(key) : key)) continue;
    if (auto c = find_collision(*it)) {
      c->at = "/" + json_pointer_token(key) + c->at;
      return c;
    }
  }
  return std::nullopt;
}

// "clientData" and "client_data" in one object would become one key, and
// which value survived would be an accident of spelling: refused like a key
// sent twice.
Result<json> without_collisions(Result<json> parsed, std::string_view what) {
  if (!parsed) return parsed;
  if (auto c = find_collision(*parsed))
    return duplicate_key_error(c->snake, what, c->at,
                               "spelt '" + c->first + "' and '" + c->second + "'");
  return parsed;
}

Result<json> parse_body_as_sent(std::string_view content_type, std::string_view body) {
  const std::string type = media_type(content_type);
  const char first = body[body.find_first_not_of(" \t\r\n")];
  const bool looks_like_json = first == '{' || first == '[';
  if (type == "application/json" || ends_with(type, "+json")) return parse_json_object(body);
  // `curl -d '{...}'` labels JSON as a form; no form body starts with '{'.
  if (type == "application/x-www-form-urlencoded" && first != '{') return parse_form(body, "body");
  if (looks_like_json) return parse_json_object(body);
  if (type.empty()) return parse_form(body, "body");
  return bad_request("Unsupported Content-Type '" + std::string(content_type) + "'");
}

// Drops every spelling of `snake_key` from `params`: the later source wins
// whichever way either spelt it.
void erase_spellings(json& params, std::string_view snake_key) {
  for (auto it = params.begin(); it != params.end();) {
    const std::string& key = it.key();
    if (key == snake_key || (underscore_changes(key) && underscore(key) == snake_key))
      it = params.erase(it);
    else
      ++it;
  }
}

}  // namespace

Result<json> parse_body(std::string_view content_type, std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return json::object();
  return without_collisions(parse_body_as_sent(content_type, body), "body");
}

Result<json> parse_query(std::string_view query) {
  return without_collisions(parse_form(query, "query string"), "query string");
}

json merge_params(json query, json body, const RouteParams& route) {
  json merged = query.is_object() ? std::move(query) : json::object();
  if (body.is_object())
    for (auto it = body.begin(); it != body.end(); ++it) {
      const std::string& key = it.key();
      if (!merged.empty()) erase_spellings(merged, underscore_changes(key) ? underscore(key) : key);
      merged[it.key()] = std::move(*it);
    }
  for (const auto& [k, v] : route) {
    erase_spellings(merged, k);
    merged[k] = v;
  }
  return merged;
}

std::string underscore(std::string_view key) {
  std::string out;
  out.reserve(key.size() + 4);
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (c == ':' && i + 1 < key.size() && key[i + 1] == ':') {
      out += '/';
      ++i;
      continue;
    }
    // The two ActiveSupport splits: "HTTPThing" -> "HTTP_Thing" (an upper
    // run, or digits, before Upper+lower) and "fooBar"/"v2Beta" (lower or
    // digit before Upper). Both only look at the original neighbours.
    if (is_upper(c) && i > 0) {
      const char prev = key[i - 1];
      const bool next_lower = i + 1 < key.size() && is_lower(key[i + 1]);
      if (is_lower(prev) || is_digit(prev) || (is_upper(prev) && next_lower)) out += '_';
    }
    out += c == '-' ? '_' : to_lower(c);
  }
  return out;
}

std::string camelize(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (c == '_' || c == '/') {
      // gsub(/(?:_|(\/))([a-z\d]*)/i): drop '_', keep '/' (as "::"), and
      // capitalise the alphanumeric run that follows. A leading '_' counts too.
      if (c == '/') out += "::";
      size_t j = i + 1;
      for (; j < key.size() && is_alnum(key[j]); ++j)
        out += j == i + 1 ? to_upper(key[j]) : to_lower(key[j]);
      i = j - 1;
    } else {
      out += i == 0 ? to_lower(c) : c;  // camelize(:lower) lowers the first character only
    }
  }
  return out;
}

json normalize_keys(const json& params) {
  return transform_keys(params, underscore, [](const std::string& k) { return is_verbatim(k); });
}

json camelize_keys(const json& value) { return camelize_all(value); }
nlohmann::ordered_json camelize_keys(const nlohmann::ordered_json& value) {
  return camelize_all(value);
}

}  // namespace backbeat::contract
