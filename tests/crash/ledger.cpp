#include "tests/crash/ledger.hpp"

namespace backbeat::crash {

const char* call_kind_name(CallKind k) {
  switch (k) {
    case CallKind::create: return "create";
    case CallKind::signal: return "signal";
    case CallKind::decisions: return "decisions";
    case CallKind::processing: return "processing";
    case CallKind::completed: return "completed";
    case CallKind::errored: return "errored";
  }
  return "?";
}

void Ledger::add_call(CallRecord r) {
  std::lock_guard lock(mu_);
  calls_.push_back(std::move(r));
}

void Ledger::add_delivery(const std::string& node_id, Delivery d) {
  std::lock_guard lock(mu_);
  deliveries_[node_id].push_back(std::move(d));
}

void Ledger::add_notification(std::string body) {
  std::lock_guard lock(mu_);
  notifications_.push_back(std::move(body));
}

void Ledger::add_problem(std::string text) {
  std::lock_guard lock(mu_);
  problems_.push_back(std::move(text));
}

void Ledger::add_kill(Millis at) {
  std::lock_guard lock(mu_);
  kills_.push_back(at);
}

void Ledger::workflow_planned(const WorkflowPlan& p) {
  std::lock_guard lock(mu_);
  workflows_[p.number].plan = p;
}

void Ledger::workflow_created(uint64_t number, const std::string& id) {
  std::lock_guard lock(mu_);
  workflows_[number].id = id;
}

std::string Ledger::workflow_id(uint64_t number) const {
  std::lock_guard lock(mu_);
  auto it = workflows_.find(number);
  return it == workflows_.end() ? std::string() : it->second.id;
}

int Ledger::acked_errors(const std::string& node_id) const {
  std::lock_guard lock(mu_);
  auto it = acked_errors_.find(node_id);
  return it == acked_errors_.end() ? 0 : it->second;
}

void Ledger::count_acked_error(const std::string& node_id) {
  std::lock_guard lock(mu_);
  ++acked_errors_[node_id];
}

bool Ledger::claim_second_signal(const std::string& workflow_id) {
  std::lock_guard lock(mu_);
  return second_signal_sent_.insert(workflow_id).second;
}

void Ledger::count_completion(const std::string& workflow_id, const std::string& node_id) {
  std::lock_guard lock(mu_);
  completions_[workflow_id].insert(node_id);
}

size_t Ledger::completions(const std::string& workflow_id) const {
  std::lock_guard lock(mu_);
  auto it = completions_.find(workflow_id);
  return it == completions_.end() ? 0 : it->second.size();
}

std::vector<CallRecord> Ledger::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

std::unordered_map<std::string, std::vector<Delivery>> Ledger::deliveries() const {
  std::lock_guard lock(mu_);
  return deliveries_;
}

std::vector<std::string> Ledger::notifications() const {
  std::lock_guard lock(mu_);
  return notifications_;
}

std::vector<std::string> Ledger::problems() const {
  std::lock_guard lock(mu_);
  return problems_;
}

std::vector<Millis> Ledger::kills() const {
  std::lock_guard lock(mu_);
  return kills_;
}

std::map<uint64_t, StartedWorkflow> Ledger::workflows() const {
  std::lock_guard lock(mu_);
  return workflows_;
}

size_t Ledger::unknown_outcomes() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& c : calls_) n += size_t(c.reply.unknown);
  return n;
}

}  // namespace backbeat::crash
