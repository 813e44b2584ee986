#include "actors/activity_runner.hpp"

#include <deque>
#include <unordered_map>

#include "actors/activity/catalog.hpp"
#include "actors/activity/run_actor.hpp"
#include "actors/messages.hpp"
#include "engine/log.hpp"
#include "net/contract/json_text.hpp"

namespace backbeat::actors {

// A node handed over by run_in_engine.
struct ActivityDispatch {
  activity::Job job;
  Uuid user_id;
  int64_t timeout_s = 0;
};

}  // namespace backbeat::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::actors::ActivityDispatch)

namespace backbeat::actors {
namespace {

using activity::Job;
using activity::Outcome;
using expire_atom = caf::atom_constant<caf::atom("bb_expire")>;
using report_atom = caf::atom_constant<caf::atom("bb_report")>;

constexpr int kReportTries = 10;
constexpr size_t kMaxResponseBytes = size_t{1} << 20;

// What the runner knows of one node's current run.
struct Run {
  Job job;
  Uuid user_id;
  int64_t timeout_s = 0;  // the node's effective timeout: each processing report extends the deadline
  uint64_t deadline_generation = 0;  // only the newest expiry message counts
  caf::actor actor;       // null while queued for a slot
  std::string failure;    // the request failed: why, unless the actor's exit says more
};

struct RunnerState {
  const Services* svc = nullptr;
  std::unordered_map<Uuid, Run> runs;  // by node id
  std::unordered_map<caf::actor_addr, Uuid> by_actor;
  std::deque<Uuid> queued;
  size_t running = 0;
  static inline const char* name = "backbeat.activity_runner";
};

using RunnerSelf = caf::stateful_actor<RunnerState>;

bool worth_retrying(const CommandResult& r) {
  if (!r.error) return false;
  return transient(r.error->kind);
}

// The engine hears the outcome the way it hears a client: a status report.
// Re-sent until the workflow accepts or refuses it; lost only if the node
// stops first, and then the node is still in flight on disk and runs again.
void report(RunnerSelf* self, const Uuid& wf, engine::Event event, int tries) {
  const Services& svc = *self->state.svc;
  auto again = [self, wf, event, tries](const std::string& why) {
    if (tries >= kReportTries)
      return log::warning("activities", "gave up reporting to workflow " + wf.str() + ": " + why);
    self->delayed_send(self, std::chrono::milliseconds(200 << std::min(tries, 5)), report_atom::value,
                       wf, event, tries + 1);
  };
  self->request(svc.registry, svc.tunables.request_timeout, route_atom::value, wf, event)
      .then(
          [=](CommandResult& r) {
            if (worth_retrying(r)) return again(r.error->message);
            if (r.error)
              log::warning("activities",
                           "workflow " + wf.str() + " refused a report: " + r.error->message);
          },
          [=](caf::error& e) { again(to_string(e)); });
}

void start_next(RunnerSelf* self);

// A report on behalf of this run, as a client would make it.
engine::ev::ClientStatusUpdate update_for(const Run& run, engine::ev::StatusWord word) {
  engine::ev::ClientStatusUpdate update;
  update.user_id = run.user_id;
  update.node_id = run.job.node_id;
  update.attempt = run.job.attempt;
  update.word = word;
  return update;
}

// The outcome as the client report the engine understands.
engine::ev::ClientStatusUpdate report_of(const Run& run, Outcome outcome) {
  // dump_json: an activity's strings may hold invalid UTF-8 (an HTTP body),
  // which a plain dump() would throw on, inside the runner.
  std::string response = contract::dump_json(outcome.response);
  if (response.size() > kMaxResponseBytes) {
    // Kept to what a client could have PUT: every status change is stored.
    outcome = activity::errored("the activity's response is larger than 1 MiB");
    response = contract::dump_json(outcome.response);
  }
  auto update = update_for(run, outcome.completed ? engine::ev::StatusWord::completed
                                                  : engine::ev::StatusWord::errored);
  update.response = std::move(response);
  if (!outcome.completed) {
    const activity::Json& r = outcome.response;
    update.error = contract::dump_json(r.is_object() && r.contains("error") ? r["error"] : r);
  }
  return update;
}

// The run ends: its actor goes, its slot is freed, the outcome is reported.
void finish(RunnerSelf* self, const Uuid& node, uint32_t attempt, std::optional<Outcome> outcome) {
  auto& st = self->state;
  auto it = st.runs.find(node);
  if (it == st.runs.end() || it->second.job.attempt != attempt) return;
  Run run = std::move(it->second);
  st.runs.erase(it);
  if (run.actor) {
    st.by_actor.erase(run.actor.address());
    self->send_exit(run.actor, caf::exit_reason::user_shutdown);
    --st.running;
    st.svc->metrics.activities_running--;
  }
  if (outcome) {
    (outcome->completed ? st.svc->metrics.activities_completed : st.svc->metrics.activities_errored)++;
    report(self, run.job.workflow_id, engine::Event{report_of(run, std::move(*outcome))}, 1);
  }
  start_next(self);
}

void arm_deadline(RunnerSelf* self, Run& run) {
  if (!run.job.deadline) return;
  const Millis left = std::max<Millis>(0, *run.job.deadline - self->state.svc->clock());
  self->delayed_send(self, std::chrono::milliseconds(left), expire_atom::value, run.job.node_id,
                     run.job.attempt, ++run.deadline_generation);
}

void start(RunnerSelf* self, Run& run) {
  auto& st = self->state;
  const Uuid node = run.job.node_id;
  const uint32_t attempt = run.job.attempt;
  const activity::Definition* def = st.svc->activities->find(run.job.activity_type);
  if (!def)
    return finish(self, node, attempt,
                  activity::errored("no activity type '" + run.job.activity_type + "' on this node"));
  const activity::Env* env = st.svc->activity_env;
  run.actor = self->spawn<caf::monitored>(activity::run_actor, def, env);
  st.by_actor[run.actor.address()] = node;
  ++st.running;
  st.svc->metrics.activities_started++;
  st.svc->metrics.activities_running++;
  run.job.runner = caf::actor{self};
  self->request(run.actor, caf::infinite, activity::run_atom::value, run.job)
      .then([=](Outcome& outcome) { finish(self, node, attempt, std::move(outcome)); },
            [=](caf::error& e) {
              // The actor's exit reason says more; it arrives as a down message.
              auto it = self->state.runs.find(node);
              if (it == self->state.runs.end() || it->second.job.attempt != attempt) return;
              it->second.failure = to_string(e);
              self->send_exit(it->second.actor, caf::exit_reason::user_shutdown);
            });
  arm_deadline(self, run);
}

void start_next(RunnerSelf* self) {
  auto& st = self->state;
  while (!st.queued.empty() && st.running < st.svc->tunables.max_activities_running) {
    const Uuid node = st.queued.front();
    st.queued.pop_front();
    auto it = st.runs.find(node);
    if (it != st.runs.end() && !it->second.actor) start(self, it->second);
  }
}

void dispatch(RunnerSelf* self, ActivityDispatch& d) {
  auto& st = self->state;
  const Uuid node = d.job.node_id;
  if (auto it = st.runs.find(node); it != st.runs.end()) {
    if (it->second.job.attempt >= d.job.attempt) return;  // running already, or a stale snapshot
    finish(self, node, it->second.job.attempt, std::nullopt);  // superseded
  }
  Run& run = st.runs[node];
  run.job = std::move(d.job);
  run.user_id = d.user_id;
  run.timeout_s = d.timeout_s;
  if (st.running < st.svc->tunables.max_activities_running) return start(self, run);
  st.queued.push_back(node);
  arm_deadline(self, run);
}

caf::behavior runner(RunnerSelf* self, const Services* svc) {
  self->state.svc = svc;
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    auto owner = st.by_actor.find(dm.source);
    if (owner == st.by_actor.end()) return;  // ended on purpose
    auto it = st.runs.find(owner->second);
    if (it == st.runs.end()) return;
    Run& run = it->second;
    const bool ours = dm.reason == caf::exit_reason::user_shutdown && !run.failure.empty();
    const std::string why =
        ours ? "answered with an error: " + run.failure : activity::describe_exit(dm.reason);
    st.svc->metrics.activities_crashed++;
    log::warning("activities",
                 run.job.activity_type + " for node " + run.job.node_id.str() + " " + why);
    finish(self, run.job.node_id, run.job.attempt,
           activity::errored("activity actor " + run.job.activity_type + " " + why));
  });
  self->set_exit_handler([=](caf::exit_msg& em) {
    // Runs stop with the node; their nodes stay in flight on disk and run
    // again at the next start.
    for (auto& entry : self->state.runs)
      if (entry.second.actor) self->send_exit(entry.second.actor, caf::exit_reason::user_shutdown);
    self->state.runs.clear();
    self->quit(em.reason);
  });
  return {
      [=](activity::run_atom, ActivityDispatch& d) { dispatch(self, d); },
      [=](activity::progress_atom, const activity::RunKey& key) {
        const Uuid node = key.node_id;
        const uint32_t attempt = key.attempt;
        auto it = self->state.runs.find(node);
        if (it == self->state.runs.end() || it->second.job.attempt != attempt) return;
        Run& run = it->second;
        // The engine moves complete_by the same way when it applies this.
        if (run.timeout_s > 0) {
          run.job.deadline = self->state.svc->clock() + run.timeout_s * 1000;
          arm_deadline(self, run);
        }
        report(self, run.job.workflow_id,
               engine::Event{update_for(run, engine::ev::StatusWord::processing)}, 1);
      },
      [=](expire_atom, const Uuid& node, uint32_t attempt, uint64_t generation) {
        auto it = self->state.runs.find(node);
        if (it == self->state.runs.end() || it->second.job.attempt != attempt) return;
        Run& run = it->second;
        if (generation != run.deadline_generation) return;  // extended since
        // Early by the clock (it stepped back): look again when it is due.
        if (!run.job.deadline || *run.job.deadline > self->state.svc->clock())
          return arm_deadline(self, run);
        self->state.svc->metrics.activities_timed_out++;
        log::warning("activities",
                     run.job.activity_type + " for node " + node.str() + " passed its complete_by");
        finish(self, node, attempt, std::nullopt);
      },
      [=](report_atom, const Uuid& wf, engine::Event& event, int tries) {
        report(self, wf, std::move(event), tries);
      },
  };
}

}  // namespace

caf::actor spawn_activity_runner(caf::actor_system& system, const Services* svc) {
  return system.spawn(runner, svc);
}

void run_in_engine(const Services& svc, const Node& node, const Workflow& wf) {
  ActivityDispatch d;
  d.job.node_id = node.id;
  d.job.workflow_id = wf.id;
  d.job.activity_type = node.activity_type;
  d.job.name = node.name;
  d.job.workflow_name = wf.name;
  d.job.subject = activity::Json::parse(wf.subject, nullptr, false);
  d.job.client_data = activity::Json::parse(node.client_data, nullptr, false);
  if (!d.job.client_data.is_object()) d.job.client_data = activity::Json::object();
  d.job.attempt = node.attempt;
  d.job.sent_at = node.updated_at;
  d.job.deadline = node.complete_by;
  d.user_id = node.user_id;
  d.timeout_s = node.timeout_s.value_or(svc.rules.client_timeout_s);
  caf::anon_send(svc.activity_runner, activity::run_atom::value, std::move(d));
}

}  // namespace backbeat::actors
