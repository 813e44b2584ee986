#pragma once
// Writes idle workflows straight into a data dir, as many as a memory run
// needs (a million through HTTP would take the better part of an hour).
// Nothing here knows the key layout: every workflow is a sequence of real
// engine events (create, signal, callback delivered, decisions, reports)
// applied with engine::apply and persisted with plan_persistence into
// WriteSets that Store::write applies, the same path the server's workflow
// actors and group committer take. Only the fsync per batch is skipped (one
// synced write at the end), because nothing is answered before it.
#include <cstdint>
#include <functional>
#include <string>

#include "engine/result.hpp"
#include "engine/uuid.hpp"

namespace backbeat::seed {

struct SeedOptions {
  std::string data_dir;           // created if missing; the server must not be running on it
  uint64_t workflows = 1000;
  std::string endpoint_base;      // the user's endpoints: <base>/decision, /activity, /notification
  std::string user_name = "seeded";
  std::string auth_token = "seeded-user-token-0123456789";  // >= 16 characters, as the API asks
  size_t workflows_per_write = 500;
  unsigned threads = 2;  // each writes its own share; the Store takes concurrent writes
  std::function<void(uint64_t written)> progress;  // now and then, from any thread; may be empty
};

struct SeedResult {
  Uuid user_id;
  uint64_t workflows = 0;
  uint64_t waiting = 0;   // of which an activity is still at the client
  double seconds = 0;
};

// Workflow i (from 0) is named kWorkflowName with subject {"n": i}. Even ones
// have an activity delivered and still at the client (deadline two days
// out); odd ones are finished (decision and activity complete), so a new
// signal there goes straight out as a decision callback.
inline constexpr const char* kWorkflowName = "seeded";
std::string subject_of(uint64_t i);  // the stored JSON text
Uuid workflow_id(const Uuid& user, uint64_t i);
inline bool is_waiting(uint64_t i) { return i % 2 == 0; }

Result<SeedResult> seed_idle_workflows(const SeedOptions& options);

}  // namespace backbeat::seed
