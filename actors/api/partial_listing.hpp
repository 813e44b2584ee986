#pragma once
// How a listing says it is partial: its scan budget ran out first
// (storage/search.hpp, Found). The body keeps the shape existing clients
// parse (a JSON array, or the report object); headers carry the rest:
//
//   X-Backbeat-Partial: true       more rows may match past what was scanned
//   X-Backbeat-Next-Last-Id: <id>  searches: a row id; pass it as last_id to
//                                  continue after everything scanned
//
// plus, on a member's answer to its gateway, the position it reached
// (search_window.hpp, kScannedToHeader).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "net/http_message.hpp"
#include "engine/result.hpp"
#include "storage/search.hpp"

namespace backbeat::actors::api {

inline constexpr const char* kPartialHeader = "X-Backbeat-Partial";
inline constexpr const char* kNextLastIdHeader = "X-Backbeat-Next-Last-Id";

using Headers = std::vector<std::pair<std::string, std::string>>;

// None for a whole answer. `to_gateway`: the answer goes to a gateway
// merging members' answers, which needs the position too.
Headers partial_headers(bool partial, const std::optional<storage::SearchCursor>& scanned_to,
                        bool to_gateway);

bool is_partial(const net::HttpResponse& response);
// A member's kScannedToHeader: nullopt when absent, an error when malformed.
Result<std::optional<storage::SearchCursor>> scanned_to(const net::HttpResponse& response);

}  // namespace backbeat::actors::api
