#pragma once
// After the storm: wait for the load to settle, then hold the server's
// records against the client's ledger.
//
// A node is "disturbed" when a kill touched it from the client's side: one
// of its calls had an attempt with an unknown outcome, or its callback
// arrived more often than the server sent it (a re-send after recovery).
// Only there may a 409 appear (a stale report) and only there may the error
// count differ from the plan (a blind retry of an `errored` report can land
// after the node was sent again). Everywhere else the checks are exact.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "tests/crash/crash_client.hpp"
#include "tests/crash/ledger.hpp"
#include "tests/crash/server_view.hpp"

namespace backbeat::crash {

struct Figures {
  size_t kills = 0;
  size_t workflows = 0;
  size_t nodes = 0;
  size_t acked_checked = 0;  // 2xx calls found on the server
  size_t deliveries = 0;     // callbacks received
  size_t sends = 0;          // sent_to_client transitions on the server
  size_t duplicate_callbacks = 0;  // deliveries beyond the sends: re-sent after a crash
  size_t unknown_outcomes = 0;     // attempts that may or may not have been applied
  size_t tolerated_conflicts = 0;  // 409s on disturbed nodes
  size_t timers_checked = 0;
  size_t timers_across_kill = 0;   // created before a kill, sent after it
  size_t retries_checked = 0;
  size_t retries_across_kill = 0;  // errored before a kill, retried after it
  size_t lost = 0;                 // acknowledged but not on the server
  size_t incomplete = 0;           // workflows not complete at the end
  std::vector<std::string> problems;

  std::string summary() const;
};

// Polls until every created workflow is complete and the client is idle,
// at most `bound`. On failure `why` says which workflows are stuck where.
bool wait_until_settled(ResilientApi& api, const Ledger& ledger, const CrashClient& client,
                        std::chrono::seconds bound, std::string& why);

Figures check_against_ledger(const Ledger& ledger, const std::map<std::string, WorkflowView>& server);

}  // namespace backbeat::crash
