#include "tests/seed/seeder.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "actors/api/workflow_identity.hpp"
#include "actors/persistence.hpp"
#include "actors/secrets.hpp"
#include "actors/services.hpp"
#include "actors/user_directory.hpp"
#include "net/contract/json_text.hpp"
#include "engine/engine.hpp"
#include "storage/store.hpp"

namespace backbeat::seed {
namespace {

namespace ev = engine::ev;

Error seed_error(std::string message) {
  return make_error(Error::Kind::internal, std::move(message));
}

// One workflow's life so far, event by event, each persisted as the server
// would persist it.
class WorkflowWriter {
 public:
  WorkflowWriter(const actors::UserDirectory& users, UuidGenerator& ids, const User& user,
                 std::vector<storage::WriteSet>& out)
      : users_(users), ids_(ids), user_(user), out_(out) {}

  Status write(uint64_t i) {
    const std::string subject = subject_of(i);
    const Uuid id = workflow_id(user_.id, i);
    engine::WorkflowState state;
    auto step = [&](engine::Event e) -> Result<engine::Reply> {
      const Millis now = actors::wall_clock_ms();
      auto outcome = engine::apply(state, e, engine::Context{now, &ids_, nullptr, engine::Rules{}});
      if (!outcome) return outcome.error();
      actors::PersistPlan plan =
          actors::plan_persistence(id, state, outcome->effects, users_, ids_, now);
      if (plan.writes.error()) return *plan.writes.error();
      out_.push_back(std::move(plan.writes));
      return std::move(outcome->reply);
    };
    const Uuid me = user_.id;
    if (auto r = step(ev::CreateWorkflow{id, me, kWorkflowName, "SeedDecider", subject}); !r)
      return r.error();
    engine::NodeSpec start;
    start.name = "start";
    auto signal = step(ev::Signal{id, me, start});
    if (!signal) return signal.error();
    const Uuid decision = std::get<Node>(*signal).id;
    auto decisions = step(ev::CallbackOutcome{decision, 1, true, {}});
    if (decisions) decisions = step(ev::ClientStatusUpdate{me, decision, ev::StatusWord::processing});
    engine::NodeSpec work;
    work.name = "work";
    if (decisions) decisions = step(ev::AddDecisions{me, decision, {work}});
    if (!decisions) return decisions.error();
    const Uuid activity = std::get<std::vector<Uuid>>(*decisions).at(0);
    for (engine::Event e : {engine::Event{ev::ClientStatusUpdate{me, decision, ev::StatusWord::completed}},
                            engine::Event{ev::CallbackOutcome{activity, 1, true, {}}}})
      if (auto r = step(std::move(e)); !r) return r.error();
    if (is_waiting(i)) return ok_status();
    for (auto word : {ev::StatusWord::processing, ev::StatusWord::completed})
      if (auto r = step(ev::ClientStatusUpdate{me, activity, word}); !r) return r.error();
    return ok_status();
  }

 private:
  const actors::UserDirectory& users_;
  UuidGenerator& ids_;
  const User& user_;
  std::vector<storage::WriteSet>& out_;
};

}  // namespace

std::string subject_of(uint64_t i) { return contract::dump_json(nlohmann::json{{"n", i}}); }

Uuid workflow_id(const Uuid& user, uint64_t i) {
  return actors::api::workflow_id_for(user, kWorkflowName, subject_of(i));
}

Result<SeedResult> seed_idle_workflows(const SeedOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::create_directories(o.data_dir, ec);
  if (ec) return seed_error("cannot create " + o.data_dir + ": " + ec.message());
  auto store = storage::Store::open(o.data_dir);
  if (!store) return store.error();

  actors::RandomUuids ids;
  User user;
  user.id = ids.next();
  user.name = o.user_name;
  user.decision_endpoint = o.endpoint_base + "/decision";
  user.activity_endpoint = o.endpoint_base + "/activity";
  user.notification_endpoint = o.endpoint_base + "/notification";
  actors::set_token(user, o.auth_token);
  user.created_at = actors::wall_clock_ms();
  actors::UserDirectory users;
  users.put(user);
  storage::WriteSet user_write;
  user_write.put_user(user);
  if (auto s = (*store)->write(std::move(user_write), o.workflows == 0); !s) return s.error();

  SeedResult result;
  result.user_id = user.id;
  const unsigned threads = std::max(1u, o.threads);
  const size_t per_write = std::max<size_t>(1, o.workflows_per_write);
  std::atomic<uint64_t> written{0};
  std::mutex mu;
  std::optional<Error> failed;
  // Thread t writes workflows t, t + threads, ...; its last write is synced.
  auto share = [&](unsigned t) {
    std::vector<storage::WriteSet> batch;
    WorkflowWriter writer(users, ids, user, batch);
    size_t in_batch = 0;
    for (uint64_t i = t; i < o.workflows; i += threads) {
      auto s = writer.write(i);
      if (!s) s = seed_error("workflow " + std::to_string(i) + ": " + s.error().message);
      const bool last = i + threads >= o.workflows;
      if (s && (++in_batch == per_write || last)) {
        s = (*store)->write(std::span<const storage::WriteSet>(batch), last);
        batch.clear();
        const uint64_t now = written += in_batch;
        in_batch = 0;
        if (o.progress) {
          std::lock_guard lock(mu);
          o.progress(now);
        }
      }
      std::lock_guard lock(mu);
      if (!s && !failed) failed = s.error();
      if (failed) return;
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) workers.emplace_back(share, t);
  share(0);
  for (auto& w : workers) w.join();
  if (failed) return *failed;
  for (uint64_t i = 0; i < o.workflows; ++i) result.waiting += is_waiting(i);
  result.workflows = o.workflows;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace backbeat::seed
