#pragma once
// The 404 every unknown or foreign workflow and node gets, worded as the
// original's (docs/contract.md §2.5), from the engine and the API alike.
#include "engine/result.hpp"
#include "engine/uuid.hpp"

namespace backbeat::engine {

Error node_not_found(const Uuid& id);
Error workflow_not_found(const Uuid& id);

}  // namespace backbeat::engine
