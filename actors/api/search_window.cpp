#include "actors/api/search_window.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "actors/api/call.hpp"
#include "actors/cluster_link.hpp"

namespace backbeat::actors::api {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Splits off the first space-separated word of `text`.
std::string_view next_word(std::string_view& text) {
  const size_t end = std::min(text.find(' '), text.size());
  std::string_view word = text.substr(0, end);
  text.remove_prefix(std::min(end + 1, text.size()));
  return word;
}

template <class Int>
std::optional<Int> to_int(std::string_view word) {
  Int v{};
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
  if (ec != std::errc() || end != word.data() + word.size() || word.empty()) return std::nullopt;
  return v;
}

}  // namespace

std::string format_position(const storage::SearchCursor& at) {
  return std::to_string(at.created_at) + " " + at.id.str();
}

std::optional<storage::SearchCursor> parse_position(std::string_view text) {
  auto created = to_int<Millis>(next_word(text));
  auto id = Uuid::parse(next_word(text));
  if (!created || !id || !text.empty()) return std::nullopt;
  return storage::SearchCursor{*created, *id};
}

std::string format_search_window(const SearchWindow& window) {
  std::string out = std::to_string(window.limit);
  if (window.after) out += " " + format_position(*window.after);
  return out;
}

std::optional<SearchWindow> parse_search_window(std::string_view text) {
  SearchWindow out;
  auto limit = to_int<size_t>(next_word(text));
  if (!limit || *limit < 1 || *limit > kMaxSearchWindow) return std::nullopt;
  out.limit = *limit;
  if (text.empty()) return out;
  out.after = parse_position(text);
  if (!out.after) return std::nullopt;
  return out;
}

void set_search_window(net::HttpRequest& request, const SearchWindow& window) {
  std::erase_if(request.headers, [](const auto& h) { return same_name(h.first, kSearchWindowHeader); });
  request.headers.emplace_back(kSearchWindowHeader, format_search_window(window));
}

Result<storage::PageRequest> served_page(const net::HttpRequest& request,
                                         const storage::PageRequest& client_page, bool clustered) {
  const std::string_view text = request.header(kSearchWindowHeader);
  if (!clustered || text.empty() || request.header(kForwardedHeader).empty()) return client_page;
  auto window = parse_search_window(text);
  if (!window) return bad_request("malformed " + std::string(kSearchWindowHeader) + " header");
  storage::PageRequest page(window->limit, 1);
  page.after = window->after;
  return page;
}

}  // namespace backbeat::actors::api
