// Search, names and the debug error listing (docs/contract.md §12.1, §12.2,
// §9.1, §9.3). Reads only: everything comes from the store's search indexes on
// a read thread (routing.hpp, Lane::reads), and the store holds only durable
// state. Each scans at most search.scan_budget index entries; one that
// stops there says so in headers (partial_listing.hpp).
//
// Where we differ from the original (docs/contract.md §19, and the README's API
// section):
//  - no parameter at all gives the first page of everything of the user
//    (the original answered []); an unknown parameter is a 400 naming it
//    (the original ignored it and returned everything);
//  - workflow search lists workflows without nodes too (the original's inner
//    join with nodes hid them);
//  - activity search is ordered like workflow search, created_at desc then
//    id desc, so last_id paging agrees with the order (the original's order
//    was accidentally seq asc);
//  - per_page outside 1..kMaxPerPage, page < 1, a malformed last_id or an
//    unparsable time is a 400 (the original: a silent 0, or a DB error);
//    so is a page deeper than search.max_page_depth rows (use last_id);
//  - a last_id the user cannot see in that listing gives [] (as unknown);
//  - names are not cached, and sorted bytewise;
//  - error_workflows lists only the caller's own workflows, newest first.
//
// In a cluster the gateway asks every member and merges (cluster_listings.hpp);
// a member then serves the window the gateway asks for (search_window.hpp),
// from the partitions it owns alone (listed_here).
#include "actors/api/search_api.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "actors/api/cluster_routing.hpp"
#include "actors/api/fields.hpp"
#include "actors/api/inputs.hpp"
#include "actors/api/partial_listing.hpp"
#include "actors/api/search_window.hpp"
#include "net/contract/iso_time.hpp"
#include "net/contract/json_text.hpp"

namespace backbeat::actors::api {
namespace {

// docs/contract.md §9.3: the record itself, snake_case, no presenter.
// `migrated` is always true: every workflow here was created through the API.
contract::OrderedJson raw_workflow(const Workflow& wf) {
  return {{"id", wf.id.str()},
          {"name", wf.name},
          {"decider", wf.decider},
          {"subject", contract::parse_stored_json(wf.subject)},
          {"user_id", wf.user_id.str()},
          {"migrated", true},
          {"complete", wf.complete},
          {"created_at", contract::format_iso8601_ms(wf.created_at)},
          {"updated_at", contract::format_iso8601_ms(wf.updated_at)},
          {"paused", wf.paused}};
}

}  // namespace

Result<SearchQuery> search_query(const nlohmann::json& params, std::string_view text_key) {
  const std::array<std::string_view, 8> known = {"name",        "current_status", "past_status",
                                                 "status_start", "status_end",    "per_page",
                                                 "page",         "last_id"};
  if (params.is_object()) {
    for (const auto& [key, value] : params.items()) {
      if (key != text_key && std::find(known.begin(), known.end(), key) == known.end())
        return bad_request("unknown search parameter: " + key);
    }
  }
  SearchQuery q;
  storage::SearchFilter& f = q.filter;
  for (auto [key, into] : {std::pair{"name", &f.name}, std::pair{"current_status", &f.current_status},
                           std::pair{"past_status", &f.past_status}}) {
    auto v = opt_string(params, key);
    if (!v) return v.error();
    *into = std::move(*v);
  }
  if (has(params, text_key)) {
    // Matched against stored JSON text: a structured value (JSON body) is
    // looked for as its compact JSON.
    const Json& v = params[std::string(text_key)];
    f.text = v.is_string() ? v.get<std::string>() : contract::dump_json(v);
  }
  auto start = opt_time(params, "status_start");
  if (!start) return start.error();
  f.status_start = *start;
  auto end = opt_time(params, "status_end");
  if (!end) return end.error();
  f.status_end = *end;

  auto per_page = per_page_input(params);
  if (!per_page) return per_page.error();
  if (*per_page) q.page.per_page = **per_page;
  auto page = opt_int(params, "page");
  if (!page) return page.error();
  if (*page && **page < 1) return bad_request("page must be 1 or more");
  if (*page) q.page.page = size_t(**page);
  auto last_id = opt_uuid(params, "last_id");
  if (!last_id) return last_id.error();
  q.page.last_id = *last_id;
  return q;
}

Status page_within(const storage::PageRequest& page, size_t max_depth) {
  // page * per_page > max_depth, without overflow (page is any int64).
  if (page.page <= max_depth / std::max<size_t>(page.per_page, 1)) return ok_status();
  return make_error(Error::Kind::page_too_deep,
                    "page " + std::to_string(page.page) + " of " + std::to_string(page.per_page) +
                        " rows ends past row " + std::to_string(max_depth) +
                        ", the deepest a page may reach (search.max_page_depth); page further "
                        "with last_id, the id of the last row of the previous page");
}

namespace {

// The query a search serves on this node: the client's page (or, on a
// member, the gateway's window) with this node's scan budget, from the
// partitions listed here.
Result<SearchQuery> served_query(const Call& call, std::string_view text_key) {
  auto q = search_query(call.params, text_key);
  if (!q) return q.error();
  if (auto deep = page_within(q->page, call.options->reads.max_page_depth); !deep)
    return deep.error();
  auto page = served_page(call.request, q->page, call.svc->cluster != nullptr);
  if (!page) return page.error();
  q->page = std::move(*page);
  q->page.scan_budget = call.options->reads.scan_budget;
  q->filter.visible = listed_here(call);
  return q;
}

// The rows as a JSON array, and whether the listing is partial in headers:
// the body keeps the shape clients parse.
template <class T, class Present>
void reply_found(const Call& call, const storage::Found<T>& found, Present present) {
  contract::OrderedJson out = contract::OrderedJson::array();
  for (const T& row : found.rows) out.push_back(present(row));
  const bool to_gateway = call.svc->cluster && !call.request.header(kForwardedHeader).empty();
  if (found.partial && !to_gateway) call.svc->metrics.reads_partial++;  // the gateway counts
  call.reply(200, out, partial_headers(found.partial, found.scanned_to, to_gateway));
}

}  // namespace

void search_workflows(Call call) {
  auto q = served_query(call, "subject");
  if (!q) return call.fail(q.error());
  auto found = storage::search_workflows(*call.svc->store, call.me().id, q->filter, q->page);
  if (!found) return call.fail(found.error());
  reply_found(call, *found, [](const Workflow& wf) { return contract::present_workflow(wf); });
}

void search_activities(Call call) {
  auto q = served_query(call, "metadata");
  if (!q) return call.fail(q.error());
  auto found = storage::search_nodes(*call.svc->store, call.me().id, q->filter, q->page);
  if (!found) return call.fail(found.error());
  reply_found(call, *found, [](const storage::NodeHit& hit) {
    return contract::present_node(hit.node, hit.workflow);
  });
}

void workflow_names(Call call) {
  auto names = storage::workflow_names(*call.svc->store, call.me().id, listed_here(call),
                                       call.options->reads.scan_budget);
  if (!names) return call.fail(names.error());
  reply_found(call, *names, [](const std::string& name) { return contract::OrderedJson(name); });
}

void error_workflows(Call call) {
  // The route table strips /v2 before matching; the debug API exists only
  // under it (docs/contract.md §9.3), so the root spelling is answered as no
  // route.
  if (!call.request.path().starts_with("/v2/"))
    return call.fail(
        make_error(Error::Kind::no_route, "No route for GET " + std::string(call.request.path())));
  auto found = storage::error_workflows(*call.svc->store, call.me().id, listed_here(call),
                                        call.options->reads.scan_budget);
  if (!found) return call.fail(found.error());
  reply_found(call, *found, raw_workflow);
}

}  // namespace backbeat::actors::api
