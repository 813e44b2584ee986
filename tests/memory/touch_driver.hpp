#pragma once
// Touches seeded workflows through the real API as fast as the server takes
// them: for each, GET /workflows/:id (a read, served from the store) and
// POST /workflows/:id/signal/touch (a change: its workflow actor comes into
// memory, persists a new node and, if the workflow was finished, sends a
// decision callback). A fixed window of calls is kept in flight on one
// keep-alive curl-multi client.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/uuid.hpp"

namespace backbeat::memory {

struct TouchPlan {
  std::string base_url;  // "http://127.0.0.1:PORT"
  std::string user_id;
  std::string token;
  std::vector<Uuid> workflows;
  size_t window = 64;  // calls in flight
};

struct TouchResult {
  uint64_t reads_ok = 0;
  uint64_t signals_ok = 0;
  uint64_t failures = 0;
  std::string first_failure;
  double seconds = 0;
};

TouchResult touch(const TouchPlan& plan);

}  // namespace backbeat::memory
