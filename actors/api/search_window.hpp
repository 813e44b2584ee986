#pragma once
// How a cluster's gateway asks each member for its part of a merged search
// (docs/cluster.md, "Searches"): the first `limit` rows after a position in
// the listing, in place of the client's page. The gateway resolves the
// client's last_id to that position once, on the member that has it; the
// other members could not, having no such row. A private header, honoured
// only on requests one member forwards another, so the public contract has
// no such parameter.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_message.hpp"
#include "engine/result.hpp"
#include "storage/search.hpp"

namespace backbeat::actors::api {

inline constexpr const char* kSearchWindowHeader = "X-Backbeat-Search-Window";
// The most rows one member is asked for at once: deeper pages are walked
// window by window (listing_merge.hpp, PageWalk), so the gateway holds at
// most members x this many rows.
inline constexpr size_t kMaxSearchWindow = 2000;

struct SearchWindow {
  size_t limit = 0;
  std::optional<storage::SearchCursor> after;
  friend bool operator==(const SearchWindow&, const SearchWindow&) = default;
};

// "<limit>" or "<limit> <position>".
std::string format_search_window(const SearchWindow& window);
std::optional<SearchWindow> parse_search_window(std::string_view text);

// A position in a listing as text: "<created_at ms> <id>".
std::string format_position(const storage::SearchCursor& at);
std::optional<storage::SearchCursor> parse_position(std::string_view text);

// On a member's answer to a window whose scan budget ran out before the
// window was full: the position its scan reached (storage::Found::
// scanned_to). The gateway keeps only merged rows up to the earliest such
// position of any member, where every member's rows are known.
inline constexpr const char* kScannedToHeader = "X-Backbeat-Scanned-To";

// Sets the window on a request, replacing any the client sent.
void set_search_window(net::HttpRequest& request, const SearchWindow& window);

// The page a member serves: the client's, or on a cluster member
// (`clustered`), for a forwarded request that carries a window, that window
// (a malformed one is a 400). A single node ignores both headers.
Result<storage::PageRequest> served_page(const net::HttpRequest& request,
                                         const storage::PageRequest& client_page, bool clustered);

}  // namespace backbeat::actors::api
