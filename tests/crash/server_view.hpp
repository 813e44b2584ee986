#pragma once
// What the server shows about the load's workflows, read through the public
// API only: GET /workflows/:id, /workflows/:id/nodes and
// /activities/:id/status_changes.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/crash/resilient_api.hpp"

namespace backbeat::crash {

struct ChangeView {
  bool client = false;  // current_client_status, else current_server_status
  std::string from;
  std::string to;
  Millis at = 0;
};

struct NodeView {
  std::string id;
  std::string parent_id;  // empty for a signal
  std::string name;
  std::string server_status;
  std::string client_status;
  Millis created_at = 0;
  nlohmann::json client_data;
  std::vector<ChangeView> changes;  // oldest first

  bool complete() const { return server_status == "complete" && client_status == "complete"; }
  size_t count(bool client, const std::string& to) const;
  // The first change matching, at or after index `from`; nullopt if none.
  std::optional<size_t> find(bool client, const std::string& to, size_t from = 0) const;
};

struct WorkflowView {
  bool found = false;  // GET /workflows/:id answered 200
  std::vector<NodeView> nodes;
  std::string fetch_error;  // set when a read failed
  bool complete() const;    // found, has nodes, all complete
};

// Nodes only (no status changes): cheap enough to poll while waiting.
WorkflowView read_nodes(ResilientApi& api, const std::string& workflow_id);
// Everything, for the checks; `threads` readers in parallel.
std::map<std::string, WorkflowView> read_everything(ResilientApi& api,
                                                    const std::vector<std::string>& workflow_ids,
                                                    int threads);

}  // namespace backbeat::crash
