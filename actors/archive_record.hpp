#pragma once
// The audit record retention writes before it deletes a workflow: one JSON
// object on one line, with the workflow, every node (API fields plus what
// the server kept about it) and each node's status changes, so an operator
// can answer "what happened to this payment" after the store forgot it.
#include <string>
#include <vector>

#include "engine/model.hpp"

namespace backbeat::actors {

// Rows of any node, in any order; each node lists its own by index.
std::string archive_line(const Workflow& wf, const std::vector<Node>& nodes,
                         const std::vector<StatusChange>& rows, Millis archived_at);

}  // namespace backbeat::actors
