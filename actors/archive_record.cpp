#include "actors/archive_record.hpp"

#include <algorithm>

#include "net/contract/iso_time.hpp"
#include "net/contract/json_presenters.hpp"
#include "net/contract/json_text.hpp"

namespace backbeat::actors {
namespace {

using contract::OrderedJson;

OrderedJson optional_id(const std::optional<Uuid>& id) {
  return id ? OrderedJson(id->str()) : OrderedJson();
}

OrderedJson optional_time(const std::optional<Millis>& t) {
  return t ? OrderedJson(contract::format_iso8601_ms(*t)) : OrderedJson();
}

// The API's node, plus what the API does not show but an audit may need.
OrderedJson archived_node(const Node& n, const Workflow& wf,
                          std::vector<const StatusChange*> rows) {
  OrderedJson out = contract::present_node(n, wf);
  out["legacyType"] = n.legacy_type;
  if (n.runs_in_engine()) out["activityType"] = n.activity_type;
  out["parentLinkId"] = optional_id(n.parent_link_id);
  out["seq"] = n.seq;
  out["firesAt"] = contract::format_iso8601_ms(n.fires_at);
  out["completeBy"] = optional_time(n.complete_by);
  out["retriesRemaining"] = n.retries_remaining;
  out["retryInterval"] = n.retry_interval_s;
  out["retriesMade"] = n.retries_made;
  out["attempt"] = n.attempt;
  OrderedJson links = OrderedJson::array();
  for (const LinkRef& l : n.links)
    links.push_back({{"nodeId", l.node_id.str()}, {"finished", l.finished}});
  out["links"] = std::move(links);
  out["updatedAt"] = contract::format_iso8601_ms(n.updated_at);
  std::sort(rows.begin(), rows.end(),
            [](const StatusChange* a, const StatusChange* b) { return a->index < b->index; });
  OrderedJson changes = OrderedJson::array();
  for (const StatusChange* sc : rows) {
    OrderedJson row = contract::present_status_change(*sc);
    row["index"] = sc->index;
    changes.push_back(std::move(row));
  }
  out["statusChanges"] = std::move(changes);
  return out;
}

}  // namespace

std::string archive_line(const Workflow& wf, const std::vector<Node>& nodes,
                         const std::vector<StatusChange>& rows, Millis archived_at) {
  OrderedJson workflow = contract::present_workflow(wf);
  OrderedJson out_nodes = OrderedJson::array();
  for (const Node& n : nodes) {
    std::vector<const StatusChange*> mine;
    for (const StatusChange& sc : rows)
      if (sc.node_id == n.id) mine.push_back(&sc);
    out_nodes.push_back(archived_node(n, wf, std::move(mine)));
  }
  // dump_json is compact: no newline can split the record across lines.
  return contract::dump_json(OrderedJson{{"archivedAt", contract::format_iso8601_ms(archived_at)},
                                    {"workflow", std::move(workflow)},
                                    {"nodes", std::move(out_nodes)}});
}

}  // namespace backbeat::actors
