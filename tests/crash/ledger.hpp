#pragma once
// The load's own record of what happened, kept by the client side only:
// every call with the answer it finally got (and how many attempts had an
// unknown outcome), every callback received, every kill. The checks compare
// it with what the server shows once the storm is over. It also holds the
// little the client must remember between callbacks (errors already
// reported per node), as a real client keeps it in its own database.
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "tests/crash/resilient_api.hpp"
#include "tests/crash/shapes.hpp"

namespace backbeat::crash {

enum class CallKind { create, signal, decisions, processing, completed, errored };
const char* call_kind_name(CallKind k);

struct CallRecord {
  CallKind kind = CallKind::create;
  uint64_t workflow_no = 0;
  std::string workflow_id;           // empty for a create that never got an answer
  std::string node_id;               // the node reported on or decided on
  std::vector<std::string> created;  // ids the answer named (signal: 1, decisions: n)
  Millis sent_at = 0;
  Reply reply;
};

struct Delivery {
  std::string workflow_id;
  bool decision = false;
  Millis at = 0;            // wall clock on arrival
  uint64_t generation = 0;  // incarnation up when it arrived
};

struct StartedWorkflow {
  WorkflowPlan plan;
  std::string id;  // once a create was answered
};

class Ledger {
 public:
  void add_call(CallRecord r);
  void add_delivery(const std::string& node_id, Delivery d);
  void add_notification(std::string body);
  void add_problem(std::string text);
  void add_kill(Millis at);

  void workflow_planned(const WorkflowPlan& p);
  void workflow_created(uint64_t number, const std::string& id);
  std::string workflow_id(uint64_t number) const;  // empty until created

  // The client's own memory.
  int acked_errors(const std::string& node_id) const;
  void count_acked_error(const std::string& node_id);
  // True for the first caller per workflow: the second signal is sent once
  // per workflow, however often its first decision is delivered.
  bool claim_second_signal(const std::string& workflow_id);
  // Distinct activities of the workflow whose completion was acknowledged.
  void count_completion(const std::string& workflow_id, const std::string& node_id);
  size_t completions(const std::string& workflow_id) const;

  // Read once every thread writing here has been joined.
  std::vector<CallRecord> calls() const;
  std::unordered_map<std::string, std::vector<Delivery>> deliveries() const;
  std::vector<std::string> notifications() const;
  std::vector<std::string> problems() const;
  std::vector<Millis> kills() const;
  std::map<uint64_t, StartedWorkflow> workflows() const;
  size_t unknown_outcomes() const;

 private:
  mutable std::mutex mu_;
  std::vector<CallRecord> calls_;
  std::unordered_map<std::string, std::vector<Delivery>> deliveries_;
  std::vector<std::string> notifications_;
  std::vector<std::string> problems_;
  std::vector<Millis> kills_;
  std::map<uint64_t, StartedWorkflow> workflows_;
  std::unordered_map<std::string, int> acked_errors_;
  std::set<std::string> second_signal_sent_;
  std::unordered_map<std::string, std::set<std::string>> completions_;
};

}  // namespace backbeat::crash
