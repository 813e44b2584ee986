#include "actors/api/cluster_listings.hpp"

#include <exception>
#include <limits>
#include <memory>

#include "actors/api/cluster_routing.hpp"
#include "actors/api/handlers.hpp"
#include "actors/api/listing_merge.hpp"
#include "actors/api/partial_listing.hpp"
#include "actors/api/search_api.hpp"
#include "actors/api/search_window.hpp"
#include "net/contract/iso_time.hpp"
#include "engine/placement.hpp"

namespace backbeat::actors::api {
namespace {

using Bodies = std::vector<contract::OrderedJson>;

Error internal_error(const std::exception& e) {
  return make_error(Error::Kind::internal, e.what());
}

// What the members answered: their bodies, and whether any scan stopped
// short (partial_listing.hpp).
struct Gathered {
  Bodies bodies;
  MembersScan scan;
};

// Asks every member and hands what they answered to `merge` once every
// partition's owner has answered with success. Runs `merge` on the
// cluster's thread: nothing may escape it.
template <class Merge>
void gather_bodies(Call call, net::HttpRequest request, Merge merge) {
  const ClusterLink& link = *call.svc->cluster;
  link.gather(std::move(request), [call = std::move(call), owners = partition_owners(link),
                                   merge = std::move(merge)](std::vector<MemberAnswer> answers) {
    try {
      auto bodies = member_bodies(answers, owners);
      if (!bodies) return call.fail(bodies.error());
      auto scan = members_scan(answers);
      if (!scan) return call.fail(scan.error());
      merge(call, Gathered{std::move(*bodies), *scan});
    } catch (const std::exception& e) {
      call.fail(internal_error(e));
    }
  });
}

template <class Merge>
void gather_as_sent(Call call, Merge merge) {
  net::HttpRequest request = call.request;
  gather_bodies(std::move(call), std::move(request), std::move(merge));
}

// The merged answer to the client; a partial one says so in headers.
void reply_merged(const Call& call, const contract::OrderedJson& body, bool partial,
                  const std::optional<storage::SearchCursor>& stopped_at = std::nullopt) {
  if (partial) call.svc->metrics.reads_partial++;
  call.reply(200, body, partial_headers(partial, stopped_at, false));
}

// Every member's rows of a newest-first listing, merged.
Result<std::vector<ListingRow>> merged_rows(const Bodies& bodies, std::string_view created_key) {
  std::vector<std::vector<ListingRow>> pages;
  for (const contract::OrderedJson& body : bodies) {
    auto rows = listing_rows(body, created_key);
    if (!rows) return rows.error();
    pages.push_back(std::move(*rows));
  }
  return merge_newest_first(std::move(pages));
}

// One of the two searches: how its rows are filtered, and where one of its
// rows is read (to find where a last_id sits).
struct SearchListing {
  std::string_view text_key;  // search_query's substring filter
  std::string_view row_path;  // + id: the route that reads one row
  bool of_nodes;
};
constexpr SearchListing kWorkflowSearch{"subject", "/workflows/", false};
constexpr SearchListing kActivitySearch{"metadata", "/activities/", true};

using Found = std::function<void(const Call&, std::optional<storage::SearchCursor>)>;

// Asks the members for successive windows of the listing until `walk` has
// its page.
void walk_windows(Call call, std::shared_ptr<PageWalk> walk) {
  net::HttpRequest request = call.request;
  set_search_window(request, SearchWindow{walk->window(), walk->after()});
  gather_bodies(std::move(call), std::move(request), [walk](const Call& c, Gathered got) {
    auto rows = merged_rows(got.bodies, "createdAt");
    if (!rows) return c.fail(rows.error());
    if (!walk->add(std::move(*rows), got.scan.scanned_to)) return walk_windows(c, walk);
    reply_merged(c, walk->page(), walk->stopped_at().has_value(), walk->stopped_at());
  });
}

// The read of last_id's row, with the client's own credentials: the owner
// answers 404 for a row the user may not see, as search does for last_id.
net::HttpRequest row_request(const Call& call, const SearchListing& listing, const Uuid& id) {
  net::HttpRequest r;
  r.method = "GET";
  r.target = std::string(listing.row_path) + id.str();
  for (const char* name : {"Authorization", "Client-Id", "Client_Id"})
    if (std::string_view v = call.request.header(name); !v.empty())
      r.headers.emplace_back(name, std::string(v));
  return r;
}

net::Responder position_from(Call call, Found found) {
  return [call = std::move(call), found = std::move(found)](net::HttpResponse r) {
    try {
      if (r.status == 404) return found(call, std::nullopt);
      if (r.status != 200) return call.respond(std::move(r));
      contract::OrderedJson row = contract::OrderedJson::parse(r.body, nullptr, false);
      auto rows = listing_rows(contract::OrderedJson::array({std::move(row)}), "createdAt");
      if (!rows) return call.fail(rows.error());
      found(call, rows->front().at);
    } catch (const std::exception& e) {
      call.fail(internal_error(e));
    }
  };
}

// Where the client's last_id sits in the listing. Only the member that has
// the row knows; the gateway asks it once and hands the position to all.
void resolve_last_id(Call call, const SearchListing& listing, const Uuid& id, Found found) {
  const Services& svc = *call.svc;
  const ClusterLink& link = *svc.cluster;
  std::optional<uint32_t> partition = partition_of_workflow(id, link.partitions());
  if (listing.of_nodes) {
    auto p = partition_of_node(svc, id);
    if (!p) return call.fail(p.error());
    partition = *p;
  }
  net::HttpRequest request = row_request(call, listing, id);
  if (!partition) return ask_everyone(link, std::move(request), position_from(std::move(call), std::move(found)));
  const Placement owner = link.place(*partition);
  switch (owner.kind) {
    case Placement::Kind::local: {
      auto at = listing.of_nodes ? storage::node_position(*svc.store, call.me().id, id)
                                 : storage::workflow_position(*svc.store, call.me().id, id);
      if (!at) return call.fail(at.error());
      return found(call, *at);
    }
    case Placement::Kind::remote:
      return link.forward(owner, std::move(request), position_from(std::move(call), std::move(found)));
    case Placement::Kind::unavailable:
      return call.fail(partition_unavailable(owner));
  }
}

size_t rows_before(const storage::PageRequest& page) {
  const size_t pages = page.page - 1;
  if (pages != 0 && page.per_page > std::numeric_limits<size_t>::max() / pages)
    return std::numeric_limits<size_t>::max();
  return pages * page.per_page;
}

void gather_search(Call call, const SearchListing& listing) {
  // Checked here as each member would: a bad query is one 400, not a 503.
  auto q = search_query(call.params, listing.text_key);
  if (!q) return call.fail(q.error());
  if (auto deep = page_within(q->page, call.options->reads.max_page_depth); !deep)
    return call.fail(deep.error());
  const size_t skip = rows_before(q->page);
  const size_t take = q->page.per_page;
  if (!q->page.last_id)
    return walk_windows(std::move(call),
                        std::make_shared<PageWalk>(skip, take, std::nullopt, kMaxSearchWindow));
  resolve_last_id(std::move(call), listing, *q->page.last_id,
                  [skip, take](const Call& c, std::optional<storage::SearchCursor> at) {
                    // Unknown, or not the user's: an empty page, as on one node.
                    if (!at) return c.reply(200, contract::OrderedJson::array());
                    walk_windows(c, std::make_shared<PageWalk>(skip, take, at, kMaxSearchWindow));
                  });
}

}  // namespace

void gather_workflow_search(Call call) { gather_search(std::move(call), kWorkflowSearch); }

void gather_activity_search(Call call) { gather_search(std::move(call), kActivitySearch); }

void gather_workflow_names(Call call) {
  gather_as_sent(std::move(call), [](const Call& c, Gathered got) {
    auto names = merge_names(got.bodies);
    if (!names) return c.fail(names.error());
    reply_merged(c, *names, got.scan.partial);
  });
}

void gather_error_workflows(Call call) {
  // The root spelling is no route (search_api.cpp): answered here, as one node would.
  if (!call.request.path().starts_with("/v2/")) return error_workflows(std::move(call));
  gather_as_sent(std::move(call), [](const Call& c, Gathered got) {
    auto rows = merged_rows(got.bodies, "created_at");
    if (!rows) return c.fail(rows.error());
    contract::OrderedJson out = contract::OrderedJson::array();
    for (ListingRow& row : *rows) out.push_back(std::move(row.json));
    reply_merged(c, out, got.scan.partial);
  });
}

void gather_errored_report(Call call) {
  gather_as_sent(std::move(call), [](const Call& c, Gathered got) {
    auto report = merge_errored_reports(got.bodies, contract::format_iso8601_ms(c.svc->clock()),
                                        kReportRowsPerStatus);
    if (!report) return c.fail(report.error());
    reply_merged(c, *report, got.scan.partial);
  });
}

}  // namespace backbeat::actors::api
