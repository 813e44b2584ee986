#pragma once
// The query side of the search indexes (indexes.hpp): workflow and node
// search (docs/contract.md §12.1, §12.2), workflow names
// (docs/contract.md §9.1) and the error listing (docs/contract.md §9.3). Every
// query starts from index entries of one user, so its cost follows that user's
// matching data, never the whole store.
//
// Results come newest first (created_at desc, then id desc). Ids are
// immutable, so a page read with last_id continues exactly after the last
// row of the previous page, whatever was written in between.
//
// A filter no index answers (a substring, a time range) is checked on each
// row an index gives, so one request could read every row of the user's.
// The scan budget bounds that: a query that has looked at that many index
// entries (and status change rows) answers with what it found so far, and
// says where it stopped (Found::scanned_to), so the caller can continue
// from there.
#include <cstddef>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/model.hpp"
#include "engine/result.hpp"
#include "storage/store.hpp"

namespace backbeat::storage {

// Which workflows a listing may show, by workflow id; empty: every one. A
// cluster member's store also holds copies of partitions it does not own (one
// arriving in a move, one it gave away and is purging), which only their
// owner may list. Applied inside the scan, before paging, so page, per_page
// and cursors count only the rows the listing shows.
using WorkflowVisible = std::function<bool(const Uuid& workflow_id)>;

struct SearchFilter {
  std::optional<std::string> name;            // exact (workflow name / node name)
  std::optional<std::string> text;            // substring of subject / metadata JSON text
  std::optional<std::string> current_status;  // server or client status now
  std::optional<std::string> past_status;     // to_status of some status change
  // Some status change created in [status_start, status_end] (both
  // inclusive); with past_status, the same row must also have that to_status.
  std::optional<Millis> status_start;
  std::optional<Millis> status_end;
  // Not the client's: set by the member serving the search. A node is
  // shown by its workflow's visibility; a last_id that is not visible
  // yields an empty page, as one unknown does.
  WorkflowVisible visible;
};

// A position in the listing order (created_at desc, then id desc).
struct SearchCursor {
  Millis created_at = 0;
  Uuid id;
  friend bool operator==(const SearchCursor&, const SearchCursor&) = default;
};

inline constexpr size_t kUnlimitedScan = std::numeric_limits<size_t>::max();

struct PageRequest {
  // Spelled out so `PageRequest{per_page, page, last_id}` stays complete.
  PageRequest(size_t per_page = 25, size_t page = 1, std::optional<Uuid> last_id = {})
      : per_page(per_page), page(page), last_id(std::move(last_id)) {}

  size_t per_page = 25;
  size_t page = 1;  // 1-based; skips (page - 1) * per_page matches
  // Only rows after this one in the ordering. One the user cannot see in
  // this listing (unknown, or another user's) yields an empty page.
  std::optional<Uuid> last_id;
  // Only rows after this position; replaces last_id. A cluster's gateway
  // resolves last_id once, on the member that has it, and asks every
  // member for the rows after it (docs/cluster.md, "Searches").
  std::optional<SearchCursor> after;
  // Entries the query may look at before it answers with what it has.
  size_t scan_budget = kUnlimitedScan;
};

// What a query found. `partial` when its scan budget ran out before the
// page was full or the listing ended: more rows may match further on.
// Searches then also give `scanned_to`: every entry up to and including
// that position was looked at, none after it. It is the position of an
// entry of the user's in the listing's index, a real row whose id is a
// last_id that continues the walk there.
template <class T>
struct Found {
  std::vector<T> rows;
  bool partial = false;
  std::optional<SearchCursor> scanned_to;
};

struct NodeHit {
  Node node;
  Workflow workflow;  // the node's, for presenting it
};

// The user's workflows (workflow.user_id), with or without nodes.
Result<Found<Workflow>> search_workflows(const Store& store, const Uuid& user,
                                         const SearchFilter& filter, const PageRequest& page);
// The user's nodes (node.user_id), in any workflow.
Result<Found<NodeHit>> search_nodes(const Store& store, const Uuid& user,
                                    const SearchFilter& filter, const PageRequest& page);
// Where a workflow / node sits in its listing, if the user can see it
// there (what last_id resolves to); nullopt when unknown or another user's.
Result<std::optional<SearchCursor>> workflow_position(const Store& store, const Uuid& user,
                                                      const Uuid& workflow_id);
Result<std::optional<SearchCursor>> node_position(const Store& store, const Uuid& user,
                                                  const Uuid& node_id);

// Distinct names of the user's visible workflows, in byte order; partial:
// the first names, in that order, found within the budget.
Result<Found<std::string>> workflow_names(const Store& store, const Uuid& user,
                                          const WorkflowVisible& visible = {},
                                          size_t scan_budget = kUnlimitedScan);
// The user's visible workflows with at least one node of the user's whose
// client status is errored, newest first; partial: those of the newest
// errored nodes the budget reached.
Result<Found<Workflow>> error_workflows(const Store& store, const Uuid& user,
                                        const WorkflowVisible& visible = {},
                                        size_t scan_budget = kUnlimitedScan);

}  // namespace backbeat::storage
