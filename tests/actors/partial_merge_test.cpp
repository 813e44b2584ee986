// Merging members' partial answers (listing_merge.hpp, PageWalk with a
// scan position): members are modelled as storage/search.hpp scans them,
// stopping after a budget of entries at the last one looked at. A client
// walking a gathered search by its pages and cursors must see every
// matching row of every member exactly once, in order, whatever the
// budget, the page size and the gateway's window.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <tuple>

#include "actors/api/listing_merge.hpp"
#include "actors/api/partial_listing.hpp"
#include "actors/api/search_window.hpp"
#include "net/contract/iso_time.hpp"

namespace backbeat::actors::api {
namespace {

using contract::OrderedJson;
using storage::SearchCursor;

bool newest_first(const SearchCursor& a, const SearchCursor& b) {
  return std::tie(b.created_at, b.id) < std::tie(a.created_at, a.id);
}

struct Entry {
  SearchCursor at;
  bool matches;
};

struct Answer {
  std::vector<ListingRow> rows;
  std::optional<SearchCursor> scanned_to;
};

// One member's index entries of the user's, in listing order.
struct Member {
  std::vector<Entry> entries;

  // The first `limit` matching rows after `after`, looking at no more than
  // `budget` entries (and at least one), as collect() in storage/search.cpp.
  Answer window(size_t limit, const std::optional<SearchCursor>& after, size_t budget) const {
    Answer out;
    size_t spent = 0;
    std::optional<SearchCursor> decided;
    for (const Entry& e : entries) {
      if (after && !newest_first(*after, e.at)) continue;
      if (out.rows.size() == limit) break;
      if (decided && spent >= budget) {
        out.scanned_to = decided;
        break;
      }
      ++spent;
      decided = e.at;
      if (e.matches)
        out.rows.push_back(ListingRow{e.at, OrderedJson{{"id", e.at.id.str()}}});
    }
    return out;
  }
};

struct Page {
  std::vector<Uuid> rows;
  std::optional<SearchCursor> stopped_at;
};

// The gateway's walk for one client request (cluster_listings.cpp).
Page gather(const std::vector<Member>& members, size_t per_page,
            const std::optional<SearchCursor>& after, size_t max_window, size_t budget) {
  PageWalk walk(0, per_page, after, max_window);
  for (int round = 0;; ++round) {
    BOOST_TEST_REQUIRE(round < 1000);
    std::vector<std::vector<ListingRow>> pages;
    std::optional<SearchCursor> earliest;
    for (const Member& m : members) {
      Answer a = m.window(walk.window(), walk.after(), budget);
      if (a.scanned_to && (!earliest || newest_first(*a.scanned_to, *earliest)))
        earliest = a.scanned_to;
      pages.push_back(std::move(a.rows));
    }
    if (walk.add(merge_newest_first(std::move(pages)), earliest)) break;
  }
  Page out;
  for (const OrderedJson& row : walk.page()) out.rows.push_back(*Uuid::parse(row["id"].get<std::string>()));
  out.stopped_at = walk.stopped_at();
  return out;
}

Uuid uid(uint64_t n) { return Uuid{0x2000 + n, 0x8000000000000001ull}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(partial_merge)

BOOST_AUTO_TEST_CASE(a_walk_of_partial_gathered_pages_sees_every_row_once) {
  std::vector<Member> members(3);
  std::vector<SearchCursor> expected;
  for (uint64_t n = 0; n < 60; ++n) {
    const SearchCursor at{1000 + Millis(n / 4), uid(n * 11 % 61)};
    const bool matches = n % 4 == 0 || n % 7 == 0;
    members[(n * 7) % 3].entries.push_back(Entry{at, matches});
    if (matches) expected.push_back(at);
  }
  for (Member& m : members)
    std::sort(m.entries.begin(), m.entries.end(),
              [](const Entry& a, const Entry& b) { return newest_first(a.at, b.at); });
  std::sort(expected.begin(), expected.end(), newest_first);
  std::vector<Uuid> expected_ids;
  for (const SearchCursor& c : expected) expected_ids.push_back(c.id);
  // Where each id sits: what the gateway resolves a last_id to.
  auto position_of = [&](const Uuid& id) {
    for (const Member& m : members)
      for (const Entry& e : m.entries)
        if (e.at.id == id) return e.at;
    BOOST_FAIL("no such row");
    return SearchCursor{};
  };

  for (size_t budget : {1u, 2u, 3u, 10u, 1000u}) {
    for (size_t per_page : {1u, 3u, 7u, 25u}) {
      for (size_t max_window : {1u, 2u, 5u, 2000u}) {
        BOOST_TEST_CONTEXT("budget " << budget << " per_page " << per_page << " window " << max_window) {
          std::vector<Uuid> walked;
          std::optional<SearchCursor> after;
          size_t partials = 0;
          for (int request = 0; request < 1000; ++request) {
            Page page = gather(members, per_page, after, max_window, budget);
            BOOST_TEST(page.rows.size() <= per_page);
            walked.insert(walked.end(), page.rows.begin(), page.rows.end());
            if (page.stopped_at) {
              BOOST_TEST(page.rows.size() < per_page);  // a full page is never partial
              ++partials;
              after = position_of(page.stopped_at->id);  // the cursor names a real row
              BOOST_TEST((after == page.stopped_at));
              continue;
            }
            if (page.rows.size() < per_page) break;
            after = position_of(walked.back());
          }
          BOOST_TEST((walked == expected_ids));
          if (budget < 3) BOOST_TEST(partials > 0u);
          if (budget == 1000) BOOST_TEST(partials == 0u);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(members_partial_answers_are_read_from_their_headers) {
  auto answer = [](std::string member, Headers headers) {
    MemberAnswer a;
    a.member = std::move(member);
    a.ok = true;
    a.response.headers = std::move(headers);
    return a;
  };
  const SearchCursor older{500, uid(1)};
  const SearchCursor newer{900, uid(2)};
  auto scan = members_scan({answer("n1", partial_headers(true, older, true)),
                            answer("n2", partial_headers(true, newer, true)),
                            answer("n3", partial_headers(false, std::nullopt, true))});
  BOOST_TEST_REQUIRE(scan.ok());
  BOOST_TEST(scan->partial);
  // Newest first: n2 stopped first in the listing, past it n2's rows are unknown.
  BOOST_TEST((scan->scanned_to == newer));
  // Names and the error listing have no position, only the flag.
  scan = members_scan({answer("n1", partial_headers(true, std::nullopt, true)), answer("n2", {})});
  BOOST_TEST_REQUIRE(scan.ok());
  BOOST_TEST(scan->partial);
  BOOST_TEST(!scan->scanned_to.has_value());
  BOOST_TEST(!members_scan({answer("n1", {}), answer("n2", {})})->partial);
  // What a client is told: no internal position.
  const Headers to_client = partial_headers(true, newer, false);
  BOOST_TEST(to_client.size() == 2u);
  BOOST_TEST(to_client[1].second == uid(2).str());
  BOOST_TEST(!members_scan({answer("n1", {{kScannedToHeader, "garbage"}})}).ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::actors::api
