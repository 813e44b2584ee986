#pragma once
// Workflows on a real store, driven through the real engine and persisted
// by the real writer (plan_persistence), one batch per event as a workflow
// actor does, with no actors: for tests of what ends up on disk (retention's
// purge, partition moves). Also reads a whole store back, family by family,
// and tells which workflow a key belongs to.
#include <boost/test/unit_test.hpp>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "actors/user_directory.hpp"
#include "engine/engine.hpp"
#include "storage/store.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::test {

class CountingIds final : public UuidGenerator {
 public:
  Uuid next() override { return Uuid{0x4000, ++n_}; }

 private:
  uint64_t n_ = 0;
};

using Snapshot = std::map<std::pair<int, std::string>, std::string>;  // (family, key) -> value

// Every key of every family but meta (the store's own bookkeeping).
Snapshot snapshot_of(const storage::Store& store);

engine::NodeSpec spec(std::string name, std::optional<Uuid> client = std::nullopt);

struct EngineDriver {
  TempDir dir{"backbeat-driver"};
  std::unique_ptr<storage::Store> store;
  actors::UserDirectory users;
  CountingIds ids;
  Millis now = 1'700'000'000'000;
  std::unordered_map<Uuid, engine::WorkflowState> states;
  User user{Uuid{0x1, 0x1}, "billing", "", "http://client/activity", "", "", "", "", 1};
  User other{Uuid{0x2, 0x2}, "ledger", "", "http://ledger/activity", "", "", "", "", 1};
  // The only user with a notification endpoint: its errors leave outbox records.
  User alerts{Uuid{0x3, 0x3}, "alerts", "", "http://alerts/activity", "http://alerts/notify",
              "", "", "", 1};

  EngineDriver();

  // What a workflow actor does with one event: apply, persist in one batch.
  engine::Reply apply(const Uuid& wf, const engine::Event& e);
  void report(const Uuid& wf, const Uuid& who, const Uuid& node, engine::ev::StatusWord w);
  Uuid create(const std::string& subject);

  // A signal whose decision posts a (errored once, retried) and b (run for
  // another user), all completed; marked complete when asked.
  Uuid run_workflow(const std::string& subject, bool complete);

  Snapshot snapshot() const { return snapshot_of(*store); }
};

// Which workflow each key belongs to, by the ids it holds: a workflow's own
// and its nodes', as raw bytes or bit-inverted (index order keys), and its
// outbox records' (by the record's workflow_id).
class KeyOwners {
 public:
  explicit KeyOwners(const std::unordered_map<Uuid, engine::WorkflowState>& states);
  // Every workflow the entry names; a key of one workflow names exactly one.
  std::set<Uuid> owners(int family, const std::string& key, const std::string& value) const;

 private:
  std::map<std::string, Uuid> needles_;
};

}  // namespace backbeat::test
