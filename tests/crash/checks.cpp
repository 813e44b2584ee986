#include "tests/crash/checks.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

namespace backbeat::crash {
namespace {

using Clock = std::chrono::steady_clock;

// What the client's calls on one node add up to.
struct NodeCalls {
  int unknown = 0;
  int errored_budget = 0;  // errors these calls could have caused: 1 + unknown each
};

// Nodes a workflow of this shape has at least (duplicates only add).
size_t minimum_nodes(Shape s) {
  switch (s) {
    case Shape::sequential: return 4;
    case Shape::fanout: return 6;
    case Shape::retries: return 4;
    case Shape::timers: return 4;
    case Shape::two_signals: return 5;
  }
  return 1;
}

bool kill_between(const std::vector<Millis>& kills, Millis after, Millis before) {
  return std::any_of(kills.begin(), kills.end(), [&](Millis k) { return k > after && k < before; });
}

std::string describe(const NodeView& n) {
  return n.id + " (" + n.name + " " + n.server_status + "/" + n.client_status + ")";
}

class Checker {
 public:
  Checker(const Ledger& ledger, const std::map<std::string, WorkflowView>& server)
      : calls_(ledger.calls()),
        deliveries_(ledger.deliveries()),
        kills_(ledger.kills()),
        workflows_(ledger.workflows()),
        server_(server) {
    f_.kills = kills_.size();
    for (const auto& [id, w] : server_) {
      if (!w.fetch_error.empty()) problem("cannot read " + id + ": " + w.fetch_error);
      for (const NodeView& n : w.nodes) nodes_[n.id] = &n;
    }
    for (const CallRecord& c : calls_) {
      if (c.node_id.empty()) continue;
      NodeCalls& nc = node_calls_[c.node_id];
      nc.unknown += c.reply.unknown;
      if (c.kind == CallKind::errored) nc.errored_budget += 1 + c.reply.unknown;
    }
    for (const std::string& n : ledger.notifications()) problem("notification: " + n.substr(0, 300));
    for (const std::string& p : ledger.problems()) problem("client: " + p);
  }

  Figures run() {
    for (const auto& [number, w] : workflows_) check_workflow(number, w);
    for (const auto& [id, node] : nodes_) check_node(*node);
    for (const CallRecord& c : calls_) check_call(c);
    for (const auto& [id, list] : deliveries_)
      if (!nodes_.count(id)) problem("callback for node " + id + ", which no workflow shows");
    return std::move(f_);
  }

 private:
  void problem(std::string text) { f_.problems.push_back(std::move(text)); }

  size_t duplicates(const NodeView& n) const {
    auto it = deliveries_.find(n.id);
    const size_t got = it == deliveries_.end() ? 0 : it->second.size();
    const size_t sent = n.count(false, "sent_to_client");
    return got > sent ? got - sent : 0;
  }

  bool disturbed(const std::string& node_id) const {
    auto calls = node_calls_.find(node_id);
    if (calls != node_calls_.end() && calls->second.unknown > 0) return true;
    auto node = nodes_.find(node_id);
    return node != nodes_.end() && duplicates(*node->second) > 0;
  }

  void check_workflow(uint64_t number, const StartedWorkflow& w) {
    ++f_.workflows;
    const std::string label = "workflow #" + std::to_string(number) + " (" + shape_name(w.plan.shape) + ")";
    if (w.id.empty()) {
      ++f_.incomplete;
      return problem(label + ": its create never got a definite answer");
    }
    auto it = server_.find(w.id);
    if (it == server_.end() || !it->second.found) {
      ++f_.incomplete;  // and its create call counts as lost
      return problem(label + " " + w.id + ": acknowledged, but the server does not know it");
    }
    const WorkflowView& v = it->second;
    if (!v.complete()) {
      ++f_.incomplete;
      std::string stuck;
      for (const NodeView& n : v.nodes)
        if (!n.complete()) stuck += " " + describe(n);
      problem(label + " " + w.id + " not complete:" + (v.nodes.empty() ? " no nodes" : stuck));
    }
    if (v.nodes.size() < minimum_nodes(w.plan.shape))
      problem(label + " " + w.id + ": " + std::to_string(v.nodes.size()) + " nodes, fewer than its shape");
  }

  void check_node(const NodeView& n) {
    ++f_.nodes;
    auto d = deliveries_.find(n.id);
    const std::vector<Delivery> none;
    const std::vector<Delivery>& got = d == deliveries_.end() ? none : d->second;
    f_.deliveries += got.size();
    f_.sends += n.count(false, "sent_to_client");
    f_.duplicate_callbacks += duplicates(n);
    if (got.empty()) problem("node " + describe(n) + " was never delivered to the client");
    const NodePlan plan = read_plan(n.client_data, n.parent_id.empty());
    if (plan.fires_at) check_timer(n, got, *plan.fires_at);
    check_errors(n, plan);
  }

  void check_timer(const NodeView& n, const std::vector<Delivery>& got, Millis fires_at) {
    ++f_.timers_checked;
    for (const Delivery& d : got)
      if (d.at < fires_at)
        problem("timer node " + describe(n) + " delivered " + std::to_string(fires_at - d.at) +
                " ms before its fires_at");
    std::optional<Millis> first_send;
    for (const ChangeView& c : n.changes) {
      if (c.client || c.to != "sent_to_client") continue;
      if (c.at < fires_at)
        problem("timer node " + describe(n) + " sent " + std::to_string(fires_at - c.at) +
                " ms before its fires_at");
      if (!first_send) first_send = c.at;
    }
    if (first_send && kill_between(kills_, n.created_at, *first_send)) ++f_.timers_across_kill;
  }

  void check_errors(const NodeView& n, const NodePlan& plan) {
    const size_t errors = n.count(true, "errored");
    if (plan.errors > 0) ++f_.retries_checked;
    if (!disturbed(n.id)) {
      if (errors != size_t(plan.errors))
        problem("node " + describe(n) + ": " + std::to_string(errors) + " errors recorded, " +
                std::to_string(plan.errors) + " planned");
    } else {
      auto calls = node_calls_.find(n.id);
      const int budget = calls == node_calls_.end() ? 0 : calls->second.errored_budget;
      if (int(errors) > budget || (plan.errors > 0 && errors == 0))
        problem("node " + describe(n) + ": " + std::to_string(errors) + " errors recorded, " +
                std::to_string(plan.errors) + " planned, at most " + std::to_string(budget) +
                " reports could have landed");
    }
    // Each retry waits retry_interval * 2^(k-1) * [0.8, 1.2] after the k-th
    // error (docs/contract.md §19), whatever crashed in between.
    int k = 0;
    for (size_t i = 0; i < n.changes.size(); ++i) {
      if (!n.changes[i].client || n.changes[i].to != "errored") continue;
      ++k;
      const Millis errored_at = n.changes[i].at;
      for (size_t j = i + 1; j < n.changes.size(); ++j) {
        const ChangeView& c = n.changes[j];
        if (c.client || c.from != "retrying" || c.to != "ready") continue;
        const double min_wait = 0.8 * 1000.0 * double(kRetryIntervalS) * std::ldexp(1.0, k - 1);
        if (double(c.at - errored_at) < min_wait - 1)
          problem("node " + describe(n) + ": retry " + std::to_string(k) + " after " +
                  std::to_string(c.at - errored_at) + " ms, sooner than its back-off");
        if (kill_between(kills_, errored_at, c.at)) ++f_.retries_across_kill;
        break;
      }
    }
  }

  void check_call(const CallRecord& c) {
    const std::string label = std::string(call_kind_name(c.kind)) + " on " +
                              (c.node_id.empty() ? "workflow " + c.workflow_id : "node " + c.node_id);
    f_.unknown_outcomes += size_t(c.reply.unknown);
    if (c.reply.status == 0) return problem(label + ": " + c.reply.body);
    if (!c.reply.ok()) {
      if (c.reply.status == 409 && disturbed(c.node_id)) {
        ++f_.tolerated_conflicts;
        return;
      }
      return problem(label + ": " + std::to_string(c.reply.status) + " " + c.reply.body.substr(0, 200));
    }
    ++f_.acked_checked;
    if (!acknowledged_change_present(c)) {
      ++f_.lost;
      problem("LOST " + label + " acknowledged at " + std::to_string(c.reply.answered_at) +
              " (incarnation " + std::to_string(c.reply.generation) + ")");
    }
  }

  bool node_with_parent(const std::string& id, const std::string& parent) const {
    auto it = nodes_.find(id);
    return it != nodes_.end() && it->second->parent_id == parent;
  }

  bool acknowledged_change_present(const CallRecord& c) const {
    switch (c.kind) {
      case CallKind::create: {
        auto it = server_.find(c.workflow_id);
        return it != server_.end() && it->second.found;
      }
      case CallKind::signal:
        return c.created.size() == 1 && node_with_parent(c.created[0], "");
      case CallKind::decisions:
        return std::all_of(c.created.begin(), c.created.end(),
                           [&](const std::string& id) { return node_with_parent(id, c.node_id); });
      case CallKind::processing:
      case CallKind::completed:
      case CallKind::errored: {
        auto it = nodes_.find(c.node_id);
        if (it == nodes_.end()) return false;
        const std::string to = c.kind == CallKind::processing ? "processing"
                               : c.kind == CallKind::completed ? "complete"
                                                               : "errored";
        for (const ChangeView& ch : it->second->changes)
          if (ch.client && ch.to == to && ch.at <= c.reply.answered_at) return true;
        return false;
      }
    }
    return false;
  }

  const std::vector<CallRecord> calls_;
  const std::unordered_map<std::string, std::vector<Delivery>> deliveries_;
  const std::vector<Millis> kills_;
  const std::map<uint64_t, StartedWorkflow> workflows_;
  const std::map<std::string, WorkflowView>& server_;
  std::unordered_map<std::string, const NodeView*> nodes_;
  std::unordered_map<std::string, NodeCalls> node_calls_;
  Figures f_;
};

}  // namespace

std::string Figures::summary() const {
  std::ostringstream s;
  s << "kills=" << kills << " workflows=" << workflows << " nodes=" << nodes
    << " acked_calls_checked=" << acked_checked << " callbacks=" << deliveries << " sends=" << sends
    << " duplicate_callbacks=" << duplicate_callbacks << " unknown_outcomes=" << unknown_outcomes
    << " tolerated_409=" << tolerated_conflicts << " timers=" << timers_checked
    << " timers_across_kill=" << timers_across_kill << " retried_nodes=" << retries_checked
    << " retries_across_kill=" << retries_across_kill << " lost=" << lost
    << " incomplete=" << incomplete << " problems=" << problems.size();
  return s.str();
}

bool wait_until_settled(ResilientApi& api, const Ledger& ledger, const CrashClient& client,
                        std::chrono::seconds bound, std::string& why) {
  std::set<std::string> pending;
  for (const auto& [number, w] : ledger.workflows())
    if (!w.id.empty()) pending.insert(w.id);
  const auto deadline = Clock::now() + bound;
  while (Clock::now() < deadline) {
    // A busy handler may still add nodes (a retried signal or decisions), so
    // only an idle client's view is final.
    if (client.busy() == 0) {
      for (auto it = pending.begin(); it != pending.end();)
        it = read_nodes(api, *it).complete() ? pending.erase(it) : std::next(it);
      if (pending.empty() && client.busy() == 0) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  why = std::to_string(pending.size()) + " workflows not complete after " +
        std::to_string(bound.count()) + " s (client handlers busy: " + std::to_string(client.busy()) + ")";
  size_t shown = 0;
  for (const std::string& id : pending) {
    if (++shown > 5) break;
    why += "\n  " + id + ":";
    for (const NodeView& n : read_nodes(api, id).nodes) why += " " + describe(n);
  }
  return false;
}

Figures check_against_ledger(const Ledger& ledger, const std::map<std::string, WorkflowView>& server) {
  return Checker(ledger, server).run();
}

}  // namespace backbeat::crash
