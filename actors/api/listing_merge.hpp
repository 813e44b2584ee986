#pragma once
// The gateway's side of a gathered request (docs/cluster.md, "Routing"):
// every member's answer checked, then merged into the answer one node
// holding all the data would give. Pure, so tested without a cluster.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/cluster_link.hpp"
#include "net/contract/json_presenters.hpp"
#include "engine/result.hpp"
#include "storage/search.hpp"

namespace backbeat::actors::api {

// On a member's answer to a gathered listing: the partitions it listed
// from, as it judged them when the request arrived. A move commits on the
// old owner before the new one hears of it; the gateway's map may lag
// both. Only these say whether every partition was listed exactly once.
inline constexpr const char* kListedHeader = "X-Backbeat-Listed";

// Partition flags as hex digits, four partitions a digit, lowest first.
std::string encode_partitions(const std::vector<bool>& partitions);
// nullopt unless exactly the digits encode_partitions gives for `count`.
std::optional<std::vector<bool>> decode_partitions(std::string_view text, size_t count);

// The members' JSON bodies, in member order. An unavailable error naming
// the member when one did not answer, answered other than 2xx or not JSON,
// when the owner of some partition (`owners`, by partition, from the
// partition map) did not answer at all, or when the members' kListedHeader
// do not cover every partition exactly once (a move is committing): rows
// would be missing or doubled, and a short page is never given as a whole
// one.
Result<std::vector<contract::OrderedJson>> member_bodies(const std::vector<MemberAnswer>& answers,
                                                    const std::vector<std::string>& owners);

// The answer to a request for something only one member has (a node id
// made before stamping), asked of every member: the first success, else the
// first answer other than 404; a 404 only when every owner said so, else a
// 503 naming who did not answer.
net::HttpResponse first_found(const std::vector<MemberAnswer>& answers,
                              const std::vector<std::string>& owners);

// One row of a newest-first listing, with the position it sorts by.
struct ListingRow {
  storage::SearchCursor at;
  contract::OrderedJson json;
};

// A member's JSON array as rows; `created_key` names the creation time
// ("createdAt", or "created_at" in the debug listing). An error for
// anything but an array of objects with such a time and an "id".
Result<std::vector<ListingRow>> listing_rows(const contract::OrderedJson& body,
                                             std::string_view created_key);

// Whether members' answers were partial (partial_listing.hpp): any of them
// was, and the earliest position, in listing order, that a member's scan
// reached (none when no member's scan stopped short). An error for a
// malformed position.
struct MembersScan {
  bool partial = false;
  std::optional<storage::SearchCursor> scanned_to;
};
Result<MembersScan> members_scan(const std::vector<MemberAnswer>& answers);

// Several members' rows as one listing, newest first (created_at desc, then
// id desc, as storage/search.hpp orders them), each row once.
std::vector<ListingRow> merge_newest_first(std::vector<std::vector<ListingRow>> pages);

// One page of a listing spread over members, walked window by window: each
// member is asked for the first window() rows after after(), the merged
// answers are add()ed, until the page (`take` rows after `skip`) is whole
// or the listing ends. The first `window()` merged rows are exact: no
// member can have a row before them that it did not send.
//
// A window in which some member's scan budget ran out (`scanned_to`, the
// earliest position any member's scan reached) ends the walk: only rows up
// to there are exact, so the page keeps those alone, and unless it is full
// it is partial, continuing at stopped_at().
class PageWalk {
 public:
  PageWalk(size_t skip, size_t take, std::optional<storage::SearchCursor> after,
           size_t max_window);

  size_t window() const;
  const std::optional<storage::SearchCursor>& after() const { return after_; }
  // The members' rows of the window asked for, merged; true once done.
  bool add(std::vector<ListingRow> merged,
           std::optional<storage::SearchCursor> scanned_to = std::nullopt);
  const contract::OrderedJson& page() const { return page_; }
  // Set when the page is partial: every row up to it was looked at.
  const std::optional<storage::SearchCursor>& stopped_at() const { return stopped_at_; }

 private:
  size_t skip_;
  size_t take_;
  std::optional<storage::SearchCursor> after_;
  size_t max_window_;
  contract::OrderedJson page_ = contract::OrderedJson::array();
  std::optional<storage::SearchCursor> stopped_at_;
};

// Workflow names: every member's, sorted bytewise, each once.
Result<contract::OrderedJson> merge_names(const std::vector<contract::OrderedJson>& bodies);

// GET /admin/errored: the rows of every member in one node's order (users by
// name, retries_exhausted before errored, newest first), at most
// `rows_per_status` per user and status, and the counts of the rows kept.
Result<contract::OrderedJson> merge_errored_reports(const std::vector<contract::OrderedJson>& bodies,
                                               std::string generated_at, size_t rows_per_status);

}  // namespace backbeat::actors::api
