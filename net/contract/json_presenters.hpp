#pragma once
// The JSON shapes Backbeat answers with and POSTs to clients
// (docs/contract.md §8, §9, §12.3–12.4). Field names and order are part of the
// contract, hence ordered_json. Stored JSON text (subject, client_data,
// metadata, response) is embedded parsed; text that no longer parses is
// embedded as a string. Serialise results with dump_json (net/json_text.hpp),
// which never throws.
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/model.hpp"
#include "engine/result.hpp"

namespace backbeat::contract {

using OrderedJson = nlohmann::ordered_json;

// WF: {id,name,subject,decider,userId,createdAt,updatedAt,complete,paused}
OrderedJson present_workflow(const Workflow& wf);

// NODE: {id,mode,name,workflowId,parentId,userId,clientData,metadata,subject,
// decider,workflowName,currentServerStatus,currentClientStatus,createdAt}
OrderedJson present_node(const Node& node, const Workflow& wf);

// SC: {nodeId,fromStatus,toStatus,statusType,response,createdAt}
OrderedJson present_status_change(const StatusChange& sc);

// {id,name,decisionEndpoint,activityEndpoint,notificationEndpoint[,authToken]};
// an empty endpoint is null. The token only for the creator (POST /users).
// `token` only in the answers that make one (creation, rotation): the
// record keeps a digest, never the token.
OrderedJson present_user(const User& user, std::optional<std::string_view> token = std::nullopt);

// Body of the POST that sends a node (docs/contract.md §8.1): {"decision":
// NODE} when the node is a decision and `as_decision` (its user has a decision
// endpoint), else {"activity": NODE}.
OrderedJson callback_body(const Node& node, const Workflow& wf, bool as_decision);

// docs/contract.md §8.3: {"activity": NODE, "notification": {name, message},
// "error": E}, where E is `error` if it is an object, {"message": error} if a
// string, else {}.
OrderedJson notification_body(const Node& node, const Workflow& wf, std::string_view message,
                              const nlohmann::json& error);

// docs/contract.md §12.3: the workflow as root (mode and statuses null), nodes
// nested under their parent in the given order; subject keys camelised. Nodes
// whose parent is not in `nodes` are unreachable and left out, as in the
// original.
OrderedJson present_tree(const Workflow& wf, const std::vector<Node>& nodes_sorted_by_seq);

// docs/contract.md §12.4: {"print": text}, one ANSI-coloured line per item in
// pre-order.
OrderedJson present_tree_print(const Workflow& wf, const std::vector<Node>& nodes_sorted_by_seq);

}  // namespace backbeat::contract
