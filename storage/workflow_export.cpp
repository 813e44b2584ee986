#include "storage/workflow_export.hpp"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "engine/placement.hpp"
#include "storage/codec.hpp"
#include "storage/errors.hpp"
#include "storage/indexes.hpp"
#include "storage/keys.hpp"

namespace backbeat::storage {
namespace {

// Every record under `prefix` in `family`, decoded, in key order.
template <class T>
Result<std::vector<T>> records_under(const ReadView& view, Family family, std::string prefix) {
  std::vector<T> out;
  auto cursor = view.cursor(family, std::move(prefix));
  Result<bool> at = cursor->seek({});
  for (; at && *at; at = cursor->next()) {
    auto record = decode<T>(cursor->value());
    if (!record) return record.error();
    out.push_back(std::move(record).value());
  }
  if (!at) return at.error();
  return out;
}

Result<std::optional<ExportedWorkflow>> read_exported(const ReadView& view, const Uuid& id) {
  auto bytes = view.get(Family::workflows, keys::workflow(id));
  if (!bytes) return bytes.error();
  if (!*bytes) return std::optional<ExportedWorkflow>();
  auto wf = decode<Workflow>(**bytes);
  if (!wf) return wf.error();
  ExportedWorkflow out;
  out.workflow = std::move(wf).value();

  auto nodes = records_under<Node>(view, Family::nodes, keys::node_prefix(id));
  if (!nodes) return nodes.error();
  out.nodes = std::move(nodes).value();
  std::stable_sort(out.nodes.begin(), out.nodes.end(),
                   [](const Node& a, const Node& b) { return a.seq < b.seq; });

  // A status change key starts with its workflow's id, so one scan finds
  // every row of every node (and a row whose node is missing, which
  // check_export then refuses rather than the move dropping it).
  auto history = records_under<StatusChange>(view, Family::status_changes, keys::workflow(id));
  if (!history) return history.error();
  out.history = std::move(history).value();

  auto queued = view.get(Family::search, index::completed_workflows() +
                                             index::completed_suffix(out.workflow.created_at, id));
  if (!queued) return queued.error();
  out.queued_for_retention = queued->has_value();
  return std::optional<ExportedWorkflow>(std::move(out));
}

void attach_outbox(ExportedWorkflow& out, std::span<const OutboxEntry> outbox) {
  for (const OutboxEntry& e : outbox)
    if (sent_by(e, out.workflow.id, out.nodes)) out.outbox.push_back(e);
}

Error inconsistent(const ExportedWorkflow& ex, const std::string& what) {
  return corruption("exported workflow " + ex.workflow.id.str() + ": " + what);
}

}  // namespace

Result<std::vector<Uuid>> list_partition_workflows(const Store& store, uint32_t partition,
                                                   uint32_t partitions,
                                                   std::optional<Uuid> after, size_t limit) {
  std::vector<Uuid> out;
  if (limit == 0) return out;
  auto view = store.view();
  auto cursor = view->cursor(Family::workflows, {});
  Result<bool> at = cursor->seek(after ? keys::workflow(*after) : std::string());
  for (; at && *at && out.size() < limit; at = cursor->next()) {
    std::string_view key = cursor->suffix();
    if (key.size() != keys::kUuidSize)
      return corruption("malformed key in column family workflows");
    const Uuid id = Uuid::from_bytes(key.data());
    if (after && id == *after) continue;
    if (partition_of_workflow(id, partitions) == partition) out.push_back(id);
  }
  if (!at) return at.error();
  return out;
}

bool sent_by(const OutboxEntry& e, const Uuid& workflow, std::span<const Node> nodes) {
  if (!e.workflow_id.is_nil()) return e.workflow_id == workflow;
  if (e.kind != OutboxEntry::Kind::link) return false;
  return std::any_of(nodes.begin(), nodes.end(),
                     [&](const Node& n) { return n.id == e.link_node; });
}

Result<std::optional<ExportedWorkflow>> export_workflow(const Store& store, const Uuid& id) {
  auto view = store.view();
  auto found = read_exported(*view, id);
  if (!found || !*found) return found;
  auto outbox = records_under<OutboxEntry>(*view, Family::outbox, {});
  if (!outbox) return outbox.error();
  attach_outbox(**found, *outbox);
  return found;
}

Result<std::optional<ExportedWorkflow>> export_workflow(const Store& store, const Uuid& id,
                                                        std::span<const OutboxEntry> outbox) {
  auto found = read_exported(*store.view(), id);
  if (found && *found) attach_outbox(**found, outbox);
  return found;
}

Status check_export(const ExportedWorkflow& ex) {
  const Uuid& wf = ex.workflow.id;
  if (wf.is_nil()) return inconsistent(ex, "no workflow id");
  std::set<Uuid> nodes;
  for (const Node& n : ex.nodes) {
    if (n.workflow_id != wf)
      return inconsistent(ex, "node " + n.id.str() + " is another workflow's");
    if (!nodes.insert(n.id).second) return inconsistent(ex, "node " + n.id.str() + " twice");
  }
  std::set<std::pair<Uuid, uint32_t>> rows;
  for (const StatusChange& sc : ex.history) {
    if (!nodes.count(sc.node_id))
      return inconsistent(ex, "status change of unknown node " + sc.node_id.str());
    if (!rows.emplace(sc.node_id, sc.index).second)
      return inconsistent(ex, "status change " + std::to_string(sc.index) + " of node " +
                                  sc.node_id.str() + " twice");
  }
  std::set<Uuid> messages;
  for (const OutboxEntry& e : ex.outbox) {
    if (!sent_by(e, wf, ex.nodes))
      return inconsistent(ex, "message " + e.id.str() + " is another workflow's");
    if (!messages.insert(e.id).second) return inconsistent(ex, "message " + e.id.str() + " twice");
  }
  if (ex.queued_for_retention && !ex.workflow.complete)
    return inconsistent(ex, "queued for retention but not complete");
  return ok_status();
}

}  // namespace backbeat::storage
