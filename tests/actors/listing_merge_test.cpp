// The gateway's merge of gathered listings (actors/api/listing_merge.hpp)
// and the window a member serves (search_window.hpp), as pure functions:
// members are plain sorted vectors here, paged as storage/search.hpp pages.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <tuple>

#include "actors/api/listing_merge.hpp"
#include "actors/api/search_window.hpp"
#include "net/contract/iso_time.hpp"
#include "net/contract/json_text.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::actors::api {
namespace {

using contract::OrderedJson;
using storage::SearchCursor;

Uuid uid(uint64_t n) { return Uuid{0x1000 + n, 0x8000000000000001ull}; }

OrderedJson row(Millis created, uint64_t n, std::string_view key = "createdAt") {
  return OrderedJson{{"id", uid(n).str()}, {std::string(key), contract::format_iso8601_ms(created)}};
}

bool newest_first(const SearchCursor& a, const SearchCursor& b) {
  return std::tie(b.created_at, b.id) < std::tie(a.created_at, a.id);
}

// One member's data, already in listing order.
struct Member {
  std::vector<SearchCursor> rows;

  // What the member's search answers for a window (storage/search.hpp).
  OrderedJson window(size_t limit, const std::optional<SearchCursor>& after) const {
    OrderedJson out = OrderedJson::array();
    for (const SearchCursor& c : rows) {
      if (out.size() == limit) break;
      if (after && !newest_first(*after, c)) continue;
      out.push_back(OrderedJson{{"id", c.id.str()}, {"createdAt", contract::format_iso8601_ms(c.created_at)}});
    }
    return out;
  }
};

std::vector<SearchCursor> ids_of(const OrderedJson& page) {
  auto rows = listing_rows(page, "createdAt");
  BOOST_TEST_REQUIRE(rows.ok());
  std::vector<SearchCursor> out;
  for (const ListingRow& r : *rows) out.push_back(r.at);
  return out;
}

// The gateway's walk (cluster_listings.cpp) against in-memory members.
std::vector<SearchCursor> walk(const std::vector<Member>& members, size_t skip, size_t take,
                               std::optional<SearchCursor> after, size_t max_window,
                               size_t* rounds = nullptr) {
  PageWalk w(skip, take, after, max_window);
  for (size_t round = 1;; ++round) {
    std::vector<std::vector<ListingRow>> pages;
    for (const Member& m : members) {
      auto rows = listing_rows(m.window(w.window(), w.after()), "createdAt");
      BOOST_TEST_REQUIRE(rows.ok());
      pages.push_back(std::move(*rows));
    }
    if (w.add(merge_newest_first(std::move(pages)))) {
      if (rounds) *rounds = round;
      return ids_of(w.page());
    }
    BOOST_TEST_REQUIRE(round < 10000u);
  }
}

MemberAnswer answer(std::string member, int status, std::string body) {
  MemberAnswer a;
  a.member = std::move(member);
  a.ok = true;
  a.response.status = status;
  a.response.body = std::move(body);
  return a;
}

// A member's listing answer, naming the partitions `owners` gives it.
MemberAnswer listing(std::string member, std::string body, const std::vector<std::string>& owners) {
  std::vector<bool> mine;
  for (const std::string& owner : owners) mine.push_back(owner == member);
  MemberAnswer a = answer(std::move(member), 200, std::move(body));
  a.response.headers.emplace_back(kListedHeader, encode_partitions(mine));
  return a;
}

MemberAnswer silent(std::string member) {
  MemberAnswer a;
  a.member = std::move(member);
  a.error = "timed out";
  return a;
}

OrderedJson body_of(const net::HttpResponse& r) { return OrderedJson::parse(r.body); }

}  // namespace

BOOST_AUTO_TEST_SUITE(listing_merge)

BOOST_AUTO_TEST_CASE(rows_merge_newest_first_then_by_id_and_once_each) {
  const OrderedJson a = OrderedJson::array({row(300, 1), row(200, 5), row(200, 2), row(100, 9)});
  const OrderedJson b = OrderedJson::array({row(400, 3), row(200, 4), row(200, 2), row(50, 8)});
  std::vector<std::vector<ListingRow>> pages;
  for (const OrderedJson* body : {&a, &b}) pages.push_back(*listing_rows(*body, "createdAt"));
  std::vector<ListingRow> merged = merge_newest_first(std::move(pages));
  std::vector<std::string> ids;
  for (const ListingRow& r : merged) ids.push_back(r.json["id"].get<std::string>());
  // Ties on createdAt across members go by id, descending; row 2 is held twice.
  BOOST_TEST((ids == std::vector<std::string>{uid(3).str(), uid(1).str(), uid(5).str(), uid(4).str(),
                                              uid(2).str(), uid(9).str(), uid(8).str()}));
  // The rows come back as the members sent them.
  BOOST_TEST(contract::dump_json(merged[0].json) == contract::dump_json(b[0]));
}

BOOST_AUTO_TEST_CASE(malformed_listings_are_errors_not_guesses) {
  BOOST_TEST(!listing_rows(OrderedJson::object(), "createdAt").ok());
  BOOST_TEST(!listing_rows(OrderedJson::array({1}), "createdAt").ok());
  BOOST_TEST(!listing_rows(OrderedJson::array({{{"id", "x"}, {"createdAt", "2020-01-01T00:00:00.000Z"}}}),
                           "createdAt").ok());
  BOOST_TEST(!listing_rows(OrderedJson::array({{{"id", uid(1).str()}, {"createdAt", "yesterday"}}}),
                           "createdAt").ok());
  // The debug listing's raw records say created_at.
  BOOST_TEST(!listing_rows(OrderedJson::array({row(1, 1)}), "created_at").ok());
  BOOST_TEST(listing_rows(OrderedJson::array({row(1, 1, "created_at")}), "created_at").ok());
  auto error = listing_rows(OrderedJson::array({2}), "createdAt").error();
  BOOST_TEST((backbeat::test::http_status(error) == 500));
}

BOOST_AUTO_TEST_CASE(paging_across_members_equals_paging_one_listing) {
  // Three members; many rows share a created_at, within and across members.
  std::vector<Member> members(3);
  std::vector<SearchCursor> all;
  for (uint64_t n = 0; n < 40; ++n) {
    SearchCursor c{1000 + Millis(n / 5), uid(n * 7 % 41)};
    all.push_back(c);
    members[(n * 5) % 3].rows.push_back(c);
  }
  members.push_back(Member{});  // a member with nothing
  std::sort(all.begin(), all.end(), newest_first);
  for (Member& m : members) std::sort(m.rows.begin(), m.rows.end(), newest_first);

  auto slice = [&](size_t skip, size_t take, std::optional<SearchCursor> after) {
    std::vector<SearchCursor> out;
    for (const SearchCursor& c : all) {
      if (after && !newest_first(*after, c)) continue;
      if (skip > 0) {
        --skip;
        continue;
      }
      if (out.size() < take) out.push_back(c);
    }
    return out;
  };
  // Positions: none, each row, and points between rows (a tie broken by an
  // id no row has), as a resolved last_id or an explicit cursor may be.
  std::vector<std::optional<SearchCursor>> cursors = {std::nullopt, SearchCursor{1003, Uuid{0, 0}},
                                                      SearchCursor{1003, Uuid{~0ull, ~0ull}},
                                                      SearchCursor{5000, uid(1)}, SearchCursor{1, uid(1)}};
  for (const SearchCursor& c : all) cursors.push_back(c);
  for (size_t per_page : {1u, 3u, 7u, 40u}) {
    for (size_t page = 1; page <= 6; ++page) {
      for (size_t max_window : {1u, 2u, 5u, 2000u}) {
        for (const auto& after : cursors) {
          BOOST_TEST_CONTEXT("per_page " << per_page << " page " << page << " window " << max_window) {
            const size_t skip = (page - 1) * per_page;
            BOOST_TEST((walk(members, skip, per_page, after, max_window) == slice(skip, per_page, after)));
          }
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(deep_pages_are_walked_in_bounded_windows) {
  std::vector<Member> members(2);
  for (uint64_t n = 0; n < 100; ++n) members[n % 2].rows.push_back(SearchCursor{Millis(1000 - n), uid(n)});
  size_t rounds = 0;
  // Rows 90..94: the members are asked for at most 20 rows at a time.
  auto got = walk(members, 90, 5, std::nullopt, 20, &rounds);
  BOOST_TEST_REQUIRE(got.size() == 5u);
  BOOST_TEST((got.front() == SearchCursor{910, uid(90)}));
  BOOST_TEST(rounds == 5u);
  // Past the end: the walk stops when the members run out.
  BOOST_TEST(walk(members, 500, 5, std::nullopt, 20, &rounds).empty());
  BOOST_TEST(rounds == 6u);
  // A first page needs one round.
  BOOST_TEST(walk(members, 0, 25, std::nullopt, 2000, &rounds).size() == 25u);
  BOOST_TEST(rounds == 1u);
}

BOOST_AUTO_TEST_CASE(every_member_and_every_partition_owner_must_answer) {
  const std::vector<std::string> owners = {"n1", "n2", "n1", "n2"};
  auto bodies = member_bodies({listing("n1", "[1]", owners), listing("n2", "[2]", owners)}, owners);
  BOOST_TEST_REQUIRE(bodies.ok());
  BOOST_TEST(bodies->size() == 2u);
  BOOST_TEST((*bodies)[1][0] == 2);

  auto refused = [&](std::vector<MemberAnswer> answers) {
    auto r = member_bodies(answers, owners);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST((backbeat::test::http_status(r.error()) == 503));
    BOOST_TEST(backbeat::test::error_class(r.error()) == "Backbeat::PartitionUnavailable");
    return r.error().message;
  };
  BOOST_TEST(refused({listing("n1", "[]", owners), silent("n2")}).find("member n2 did not answer") !=
             std::string::npos);
  BOOST_TEST(refused({answer("n1", 500, "{}"), listing("n2", "[]", owners)}).find("member n1 answered 500") !=
             std::string::npos);
  BOOST_TEST(refused({listing("n1", "[]", owners), answer("n2", 401, "{}")}).find("n2") != std::string::npos);
  BOOST_TEST(refused({listing("n1", "[oops", owners), listing("n2", "[]", owners)}).find("malformed") !=
             std::string::npos);
  // n2 was not asked at all (believed down): its partitions would be missing.
  BOOST_TEST(refused({listing("n1", "[]", owners)}).find("partition 1's owner n2 did not answer") !=
             std::string::npos);
  BOOST_TEST(!member_bodies({answer("n1", 200, "[]")}, {"n1", ""}).ok());
}

// A move commits on the old owner first; for a moment the new owner does
// not list the partition yet (a hole), or a gateway hears both sides at
// different moments (listed twice). Either way: 503, never a wrong page.
BOOST_AUTO_TEST_CASE(every_partition_must_be_listed_exactly_once) {
  const std::vector<std::string> owners = {"n1", "n2", "n1", "n2", "n1"};
  const std::vector<std::string> after_move = {"n1", "n2", "n2", "n2", "n1"};
  BOOST_TEST(member_bodies({listing("n1", "[]", owners), listing("n2", "[]", owners)}, owners).ok());
  // The gateway's map may lag: what the members say counts.
  BOOST_TEST(member_bodies({listing("n1", "[]", after_move), listing("n2", "[]", after_move)}, owners).ok());
  auto hole = member_bodies({listing("n1", "[]", after_move), listing("n2", "[]", owners)}, owners);
  BOOST_TEST_REQUIRE(!hole.ok());
  BOOST_TEST(hole.error().message == "partition 2 was listed by 0 members: it is changing owner");
  auto twice = member_bodies({listing("n1", "[]", owners), listing("n2", "[]", after_move)}, owners);
  BOOST_TEST_REQUIRE(!twice.ok());
  BOOST_TEST(twice.error().message == "partition 2 was listed by 2 members: it is changing owner");
  auto unsaid = member_bodies({listing("n1", "[]", owners), answer("n2", 200, "[]")}, owners);
  BOOST_TEST_REQUIRE(!unsaid.ok());
  BOOST_TEST(unsaid.error().message == "member n2 did not say which partitions it listed");
}

BOOST_AUTO_TEST_CASE(listed_partitions_round_trip_and_bad_text_is_refused) {
  for (size_t n : {1u, 4u, 5u, 64u, 1000u}) {
    std::vector<bool> flags(n);
    for (size_t p = 0; p < n; ++p) flags[p] = (p * 7 + 3) % 5 < 2;
    const std::string text = encode_partitions(flags);
    BOOST_TEST(text.size() == (n + 3) / 4);
    BOOST_TEST((decode_partitions(text, n) == flags), n);
  }
  BOOST_TEST(encode_partitions({true, false, false, true, true}) == "91");
  BOOST_TEST(!decode_partitions("", 4).has_value());
  BOOST_TEST(!decode_partitions("9", 5).has_value());    // too short
  BOOST_TEST(!decode_partitions("911", 5).has_value());  // too long
  BOOST_TEST(!decode_partitions("9g", 5).has_value());
  BOOST_TEST(!decode_partitions("9A", 5).has_value());   // lower case only
  BOOST_TEST(!decode_partitions("92", 5).has_value());   // partition 5 of 5
  BOOST_TEST(decode_partitions("91", 5).has_value());
}

BOOST_AUTO_TEST_CASE(the_member_that_has_an_old_node_answers_for_it) {
  const std::vector<std::string> owners = {"n1", "n2", "n3"};
  auto found = first_found({answer("n1", 404, "a"), answer("n2", 200, "b"), answer("n3", 404, "c")}, owners);
  BOOST_TEST(found.status == 200);
  BOOST_TEST(found.body == "b");
  // A success wins over an earlier error of a member that does not have it.
  found = first_found({answer("n1", 401, "a"), answer("n2", 404, "b"), answer("n3", 201, "c")}, owners);
  BOOST_TEST(found.body == "c");
  found = first_found({answer("n1", 404, "a"), answer("n2", 409, "b"), answer("n3", 404, "c")}, owners);
  BOOST_TEST(found.status == 409);
  found = first_found({answer("n1", 404, "a"), answer("n2", 404, "b"), answer("n3", 404, "c")}, owners);
  BOOST_TEST(found.status == 404);
  BOOST_TEST(found.body == "a");
  // Not found where asked, but a member that may have it did not answer.
  for (auto answers : {std::vector<MemberAnswer>{answer("n1", 404, "a"), silent("n2"), answer("n3", 404, "c")},
                       std::vector<MemberAnswer>{answer("n1", 404, "a"), answer("n3", 404, "c")},
                       std::vector<MemberAnswer>{}}) {
    found = first_found(answers, owners);
    BOOST_TEST(found.status == 503);
    BOOST_TEST(body_of(found)["errorClass"] == "Backbeat::PartitionUnavailable");
    BOOST_TEST((found.headers == std::vector<std::pair<std::string, std::string>>{{"Retry-After", "1"}}));
  }
  // Found even though someone else is down.
  found = first_found({silent("n1"), answer("n2", 200, "b")}, owners);
  BOOST_TEST(found.body == "b");
}

BOOST_AUTO_TEST_CASE(names_are_united_sorted_bytewise_and_distinct) {
  auto names = merge_names({OrderedJson::array({"b", "a", "\xC3\xA9t\xC3\xA9"}), OrderedJson::array({"B", "a", "z"}),
                            OrderedJson::array()});
  BOOST_TEST_REQUIRE(names.ok());
  BOOST_TEST(contract::dump_json(*names) == "[\"B\",\"a\",\"b\",\"z\",\"\xC3\xA9t\xC3\xA9\"]");
  BOOST_TEST(!merge_names({OrderedJson::array({1})}).ok());
  BOOST_TEST(!merge_names({OrderedJson::object()}).ok());
}

BOOST_AUTO_TEST_CASE(errored_reports_merge_in_one_nodes_order_and_recount) {
  auto item = [](std::string user, uint64_t user_n, Millis created, uint64_t n, std::string server,
                 std::string client, std::string workflow) {
    return OrderedJson{{"user", {{"id", uid(user_n).str()}, {"name", std::move(user)}}},
                       {"node",
                        {{"id", uid(n).str()},
                         {"workflowName", std::move(workflow)},
                         {"currentServerStatus", std::move(server)},
                         {"currentClientStatus", std::move(client)},
                         {"createdAt", contract::format_iso8601_ms(created)}}}};
  };
  const OrderedJson n1 = {{"generatedAt", "x"},
                          {"counts", {{"w", {{"errored", 1}}}}},
                          {"nodes", OrderedJson::array({item("bob", 2, 50, 10, "errored", "errored", "w"),
                                                        item("amy", 1, 10, 11, "retries_exhausted", "errored", "v"),
                                                        item("amy", 1, 30, 12, "errored", "errored", "w")})}};
  const OrderedJson n2 = {{"generatedAt", "y"},
                          {"counts", OrderedJson::object()},
                          {"nodes", OrderedJson::array({item("amy", 1, 20, 13, "sent_to_client", "retries_exhausted", "w"),
                                                        item("amy", 1, 40, 14, "errored", "errored", "w"),
                                                        item("amy", 1, 5, 15, "errored", "errored", "v")})}};
  auto merged = merge_errored_reports({n1, n2}, "2024-01-01T00:00:00.000Z", 2);
  BOOST_TEST_REQUIRE(merged.ok());
  std::vector<std::string> ids;
  for (const auto& r : (*merged)["nodes"]) ids.push_back(r["node"]["id"].get<std::string>());
  // amy before bob; amy's retries_exhausted (13, 11) before her errored (14,
  // 12; 15 is cut: two rows per status here); newest first within.
  BOOST_TEST((ids == std::vector<std::string>{uid(13).str(), uid(11).str(), uid(14).str(), uid(12).str(),
                                              uid(10).str()}));
  BOOST_TEST((*merged)["generatedAt"] == "2024-01-01T00:00:00.000Z");
  BOOST_TEST(contract::dump_json((*merged)["counts"]) ==
             R"({"v":{"retries_exhausted":1},"w":{"errored":3,"sent_to_client":1}})");
  BOOST_TEST(!merge_errored_reports({OrderedJson::array()}, "", 5).ok());
}

BOOST_AUTO_TEST_CASE(search_windows_round_trip_and_refuse_garbage) {
  const SearchWindow plain{25, std::nullopt};
  const SearchWindow after{2000, SearchCursor{-5, uid(3)}};
  BOOST_TEST(format_search_window(plain) == "25");
  for (const SearchWindow& w : {plain, after}) BOOST_TEST((parse_search_window(format_search_window(w)) == w));
  for (const std::string& bad : std::vector<std::string>{"", "0", "2001", "x", "5 12", "5 12 nope", "5 x " + uid(1).str(),
                          "5 12 " + uid(1).str() + " more", "-1", "5  12"})
    BOOST_TEST(!parse_search_window(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(members_serve_a_window_only_when_a_member_forwards_it) {
  storage::PageRequest client(10, 3, uid(1));
  net::HttpRequest r;
  r.headers = {{"x-backbeat-search-window", "7 100 " + uid(2).str()}};
  // From a client: the header means nothing.
  auto page = served_page(r, client, true);
  BOOST_TEST_REQUIRE(page.ok());
  BOOST_TEST(page->per_page == 10u);
  BOOST_TEST(page->page == 3u);
  BOOST_TEST(!page->after.has_value());

  r.headers.emplace_back(kForwardedHeader, "n1 4");
  // A single node: both headers mean nothing.
  BOOST_TEST(served_page(r, client, false)->per_page == 10u);
  page = served_page(r, client, true);
  BOOST_TEST_REQUIRE(page.ok());
  BOOST_TEST(page->per_page == 7u);
  BOOST_TEST(page->page == 1u);
  BOOST_TEST(!page->last_id.has_value());
  BOOST_TEST((*page->after == SearchCursor{100, uid(2)}));

  // The gateway's window replaces whatever window the client sent.
  set_search_window(r, SearchWindow{3, std::nullopt});
  page = served_page(r, client, true);
  BOOST_TEST_REQUIRE(page.ok());
  BOOST_TEST(page->per_page == 3u);
  BOOST_TEST(!page->after.has_value());

  set_search_window(r, SearchWindow{3, std::nullopt});
  r.headers.back().second = "lots";
  auto bad = served_page(r, client, true);
  BOOST_TEST_REQUIRE(!bad.ok());
  BOOST_TEST((backbeat::test::http_status(bad.error()) == 400));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::actors::api
