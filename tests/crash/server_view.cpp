#include "tests/crash/server_view.hpp"

#include <atomic>
#include <mutex>
#include <thread>

#include "net/contract/iso_time.hpp"

namespace backbeat::crash {
namespace {

using nlohmann::json;

std::string text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Millis time_of(const json& j, const char* key) {
  return contract::parse_iso8601(text(j, key)).value_or(0);
}

NodeView node_of(const json& n) {
  NodeView v;
  v.id = text(n, "id");
  v.parent_id = text(n, "parentId");
  v.name = text(n, "name");
  v.server_status = text(n, "currentServerStatus");
  v.client_status = text(n, "currentClientStatus");
  v.created_at = time_of(n, "createdAt");
  v.client_data = n.value("clientData", json::object());
  return v;
}

std::string failure(const std::string& what, const Reply& r) {
  return what + ": " + std::to_string(r.status) + " " + r.body.substr(0, 200);
}

bool read_changes(ResilientApi& api, NodeView& node, std::string& error) {
  const Reply r = api.call("GET", "/activities/" + node.id + "/status_changes");
  const json list = r.json();
  if (!r.ok() || !list.is_array()) {
    error = failure("status_changes of " + node.id, r);
    return false;
  }
  for (const json& c : list)
    node.changes.push_back(ChangeView{text(c, "statusType") == "current_client_status",
                                      text(c, "fromStatus"), text(c, "toStatus"), time_of(c, "createdAt")});
  return true;
}

}  // namespace

size_t NodeView::count(bool client, const std::string& to) const {
  size_t n = 0;
  for (const ChangeView& c : changes) n += c.client == client && c.to == to;
  return n;
}

std::optional<size_t> NodeView::find(bool client, const std::string& to, size_t from) const {
  for (size_t i = from; i < changes.size(); ++i)
    if (changes[i].client == client && changes[i].to == to) return i;
  return std::nullopt;
}

bool WorkflowView::complete() const {
  if (!found || nodes.empty()) return false;
  for (const NodeView& n : nodes)
    if (!n.complete()) return false;
  return true;
}

WorkflowView read_nodes(ResilientApi& api, const std::string& workflow_id) {
  WorkflowView v;
  const Reply wf = api.call("GET", "/workflows/" + workflow_id);
  if (!wf.ok()) {
    v.fetch_error = failure("workflow " + workflow_id, wf);
    return v;
  }
  v.found = true;
  const Reply r = api.call("GET", "/workflows/" + workflow_id + "/nodes");
  const json list = r.json();
  if (!r.ok() || !list.is_array()) {
    v.fetch_error = failure("nodes of " + workflow_id, r);
    return v;
  }
  for (const json& n : list) v.nodes.push_back(node_of(n));
  return v;
}

std::map<std::string, WorkflowView> read_everything(ResilientApi& api,
                                                    const std::vector<std::string>& ids, int threads) {
  std::map<std::string, WorkflowView> out;
  std::mutex mu;
  std::atomic<size_t> next{0};
  auto reader = [&] {
    for (size_t i = next++; i < ids.size(); i = next++) {
      WorkflowView v = read_nodes(api, ids[i]);
      for (NodeView& n : v.nodes)
        if (v.fetch_error.empty()) read_changes(api, n, v.fetch_error);
      std::lock_guard lock(mu);
      out[ids[i]] = std::move(v);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(reader);
  for (auto& t : pool) t.join();
  return out;
}

}  // namespace backbeat::crash
