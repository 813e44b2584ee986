// Node operations for operators (admin token): the drain switch behind
// /heartbeat.txt (the original's runbook: remove the heartbeat file, let the
// load balancer drain the host, restart, put it back), and the report of
// nodes that need a person (what the original e-mailed daily).
#include <map>
#include <set>

#include "actors/api/cluster_routing.hpp"
#include "actors/api/handlers.hpp"
#include "actors/api/inputs.hpp"
#include "actors/api/partial_listing.hpp"
#include "net/contract/iso_time.hpp"
#include "storage/search.hpp"

namespace backbeat::actors::api {
namespace {

contract::OrderedJson drain_state(const Services& svc) { return {{"draining", svc.draining.load()}}; }

}  // namespace

void errored_report(Call call) {
  // Served from the current-status index of each user: errored (client or
  // server side) and retries_exhausted nodes, newest first; in a cluster,
  // of this member's partitions (the gateway merges every member's). Each
  // of those searches has the scan budget; partial if one spent it.
  const storage::WorkflowVisible visible = listed_here(call);
  contract::OrderedJson rows = contract::OrderedJson::array();
  std::map<std::string, std::map<std::string, int>> counts;  // workflow name -> status -> n
  bool partial = false;
  for (const User& user : call.svc->users->all()) {
    std::set<Uuid> seen;
    for (const char* status : {"retries_exhausted", "errored"}) {
      storage::SearchFilter filter;
      filter.current_status = status;
      filter.visible = visible;
      storage::PageRequest page;
      page.per_page = kReportRowsPerStatus;
      page.scan_budget = call.options->reads.scan_budget;
      auto hits = storage::search_nodes(*call.svc->store, user.id, filter, page);
      if (!hits) return call.fail(hits.error());
      partial = partial || hits->partial;
      for (const storage::NodeHit& hit : hits->rows) {
        if (!seen.insert(hit.node.id).second) continue;
        const std::string server(to_string(hit.node.server_status));
        counts[hit.workflow.name][server]++;
        rows.push_back({{"user", {{"id", user.id.str()}, {"name", user.name}}},
                        {"node", contract::present_node(hit.node, hit.workflow)}});
      }
    }
  }
  contract::OrderedJson by_workflow = contract::OrderedJson::object();
  for (const auto& [name, per_status] : counts) by_workflow[name] = per_status;
  if (partial) call.svc->metrics.reads_partial++;
  call.reply(200,
             {{"generatedAt", contract::format_iso8601_ms(call.svc->clock())},
              {"counts", by_workflow},
              {"nodes", rows}},
             partial_headers(partial, std::nullopt, false));
}

void get_drain(Call call) { call.reply(200, drain_state(*call.svc)); }

void set_drain(Call call) {
  auto draining = drain_input(call.params);
  if (!draining) return call.fail(draining.error());
  const bool on = *draining;
  storage::WriteSet writes;
  writes.put_meta(std::string(kDrainingMetaKey), on ? "1" : "0");
  const Services* svc = call.svc;
  // Durable first: a node restarted mid-drain must come back drained.
  svc->committer->submit(std::move(writes), [svc, on, call = std::move(call)](const Status& s) {
    if (!s) return call.fail(s.error());
    svc->draining = on;
    call.reply(200, drain_state(*svc));
  });
}

}  // namespace backbeat::actors::api
