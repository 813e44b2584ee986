#include "actors/api/partial_listing.hpp"

#include "actors/api/search_window.hpp"

namespace backbeat::actors::api {

Headers partial_headers(bool partial, const std::optional<storage::SearchCursor>& scanned_to,
                        bool to_gateway) {
  Headers out;
  if (!partial) return out;
  out.emplace_back(kPartialHeader, "true");
  if (!scanned_to) return out;
  out.emplace_back(kNextLastIdHeader, scanned_to->id.str());
  if (to_gateway) out.emplace_back(kScannedToHeader, format_position(*scanned_to));
  return out;
}

bool is_partial(const net::HttpResponse& response) {
  return response.header(kPartialHeader) == "true";
}

Result<std::optional<storage::SearchCursor>> scanned_to(const net::HttpResponse& response) {
  const std::string_view text = response.header(kScannedToHeader);
  if (text.empty()) return std::optional<storage::SearchCursor>();
  auto at = parse_position(text);
  if (!at)
    return make_error(Error::Kind::internal,
                      "a member answered a malformed " + std::string(kScannedToHeader) + " header");
  return std::optional<storage::SearchCursor>(*at);
}

}  // namespace backbeat::actors::api
