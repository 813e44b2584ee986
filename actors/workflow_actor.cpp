#include "actors/workflow_actor.hpp"

#include <deque>

#include "actors/callback_sender.hpp"
#include "actors/messages.hpp"
#include "actors/persistence.hpp"
#include "actors/purge_plan.hpp"
#include "engine/log.hpp"
#include "engine/placement.hpp"
#include "engine/retention.hpp"

namespace backbeat::actors {
namespace {

// Effects of one event, held back until its batch is durable.
struct AfterCommit {
  uint64_t ticket = 0;
  std::optional<caf::response_promise> promise;
  CommandResult result;
  std::vector<Node> callbacks;  // snapshots taken when the event was applied
  std::optional<Workflow> workflow;
  std::vector<storage::OutboxEntry> outbox;
  Timers armed;
  Timers disarmed;
};

struct WorkflowActorState {
  Uuid id;
  const Services* svc = nullptr;
  engine::WorkflowState wf;
  uint64_t received = 0;  // commands taken from the registry, for passivation
  uint64_t next_ticket = 0;
  std::deque<AfterCommit> waiting;
  bool stopping = false;  // quit as soon as nothing waits for the disk
  bool leave_when_durable = false;  // purged: go idle once the delete is on disk
  static inline const char* name = "backbeat.workflow";
};

using WorkflowActorSelf = caf::stateful_actor<WorkflowActorState>;

// Every line about a workflow names it first.
void log_workflow(log::Level level, const Uuid& wf, const std::string& text) {
  log::write(level, "workflow", wf.str() + ": " + text);
}

Result<engine::WorkflowState> load(const storage::Store& store, const Uuid& id) {
  auto wf = store.get_workflow(id);
  if (!wf) return wf.error();
  if (!*wf) return engine::WorkflowState{};
  auto nodes = store.load_nodes(id);
  if (!nodes) return nodes.error();
  return engine::WorkflowState(std::move(*wf), std::move(*nodes));
}

void perform(WorkflowActorSelf* self, AfterCommit& done) {
  const Services& svc = *self->state.svc;
  if (done.promise) done.promise->deliver(std::move(done.result));
  if (!done.disarmed.empty()) self->send(svc.timers, disarm_atom::value, std::move(done.disarmed));
  if (!done.armed.empty()) self->send(svc.timers, arm_atom::value, std::move(done.armed));
  for (const Node& n : done.callbacks) send_callback(svc, n, *done.workflow);
  for (auto& entry : done.outbox) self->send(svc.notifier, notify_atom::value, std::move(entry));
}

// Queues the batch behind everything this actor submitted before, so the
// effects of event n never overtake those of event n-1.
void submit(WorkflowActorSelf* self, storage::WriteSet writes, AfterCommit after) {
  auto& st = self->state;
  if (writes.empty() && st.waiting.empty()) {
    perform(self, after);
    return;
  }
  after.ticket = ++st.next_ticket;
  st.waiting.push_back(std::move(after));
  st.svc->committer->submit(std::move(writes),
                            [handle = caf::actor{self}, ticket = st.next_ticket](const Status& s) {
                              caf::anon_send(handle, committed_atom::value, ticket, s.ok(),
                                             s.ok() ? std::string{} : s.error().message);
                            });
}

void restart_from_disk(WorkflowActorSelf* self, const Error& why);

void handle(WorkflowActorSelf* self, const engine::Event& event, std::optional<caf::response_promise> promise) {
  auto& st = self->state;
  const Services& svc = *st.svc;
  AfterCommit after;
  after.promise = std::move(promise);
  // Ids made here carry the workflow's placement (docs/cluster.md).
  StampedIds ids(*svc.ids, st.id);
  engine::Context context = svc.context();
  context.ids = &ids;
  auto outcome = engine::apply(st.wf, event, context);
  if (!outcome) {
    svc.metrics.events_refused++;
    after.result.error = outcome.error();
    return submit(self, {}, std::move(after));
  }
  svc.metrics.events_applied++;
  engine::Effects& fx = outcome->effects;
  for (const std::string& w : fx.warnings) log_workflow(log::Level::warning, st.id, w);
  if (fx.links_refused) svc.metrics.links_refused += fx.links_refused;
  PersistPlan plan = plan_persistence(st.id, st.wf, fx, *svc.users, ids, context.now);
  if (plan.writes.error()) {
    // Memory has moved but cannot be written: refuse and reload from disk.
    Error error = *plan.writes.error();
    log_workflow(log::Level::error, st.id, "cannot encode: " + error.message);
    if (after.promise) after.promise->deliver(CommandResult{error, {}, {}});
    return restart_from_disk(self, error);
  }
  after.result.reply = std::move(outcome->reply);
  if (st.wf.exists()) after.workflow = after.result.workflow = st.wf.workflow();
  for (const engine::Callback& c : fx.callbacks)
    if (const Node* n = st.wf.find(c.node_id); n && n->attempt == c.attempt)
      after.callbacks.push_back(*n);
  after.outbox = std::move(plan.outbox);
  after.armed = std::move(fx.timers_set);
  after.disarmed = std::move(fx.timers_cleared);
  submit(self, std::move(plan.writes), std::move(after));
}

// After a crash or restart: whatever was armed or in flight is picked up again.
void resume_in_flight(WorkflowActorSelf* self) {
  auto& st = self->state;
  Timers timers;
  for (const Node& n : st.wf.nodes()) {
    for (const Timer& t : engine::timers_of(n)) timers.push_back(t);
    if (n.callback_pending) send_callback(*st.svc, n, st.wf.workflow());
  }
  if (!timers.empty()) self->send(st.svc->timers, arm_atom::value, std::move(timers));
}

// Memory can no longer be trusted to match the disk. Everyone waiting hears
// why; the registry then respawns the workflow in recovery, from the disk.
void restart_from_disk(WorkflowActorSelf* self, const Error& why) {
  for (AfterCommit& w : self->state.waiting)
    if (w.promise) w.promise->deliver(CommandResult{why, {}, {}});
  self->state.waiting.clear();
  self->quit(caf::sec::runtime_error);
}

caf::behavior running(WorkflowActorSelf* self);
caf::result<caf::message> drop_unexpected(caf::scheduled_actor* self, caf::message_view& x);

// The delete is one batch behind everything this actor submitted, like any
// event's; memory forgets the workflow at once, so a later command finds
// nothing, as it will on disk.
void erase_workflow(WorkflowActorSelf* self, storage::WriteSet erase, caf::response_promise promise) {
  auto& st = self->state;
  st.wf = engine::WorkflowState{};
  st.leave_when_durable = true;
  AfterCommit after;
  after.promise = std::move(promise);  // an empty CommandResult: purged
  submit(self, std::move(erase), std::move(after));
}

// Retention (retention_actor.hpp) asks; the answer is decided here, on the
// workflow as this actor holds it. With an archive, the actor takes no other
// message until the archive line is durable, so the workflow it archives is
// the one it deletes.
caf::result<CommandResult> purge(WorkflowActorSelf* self, Millis cutoff, const caf::actor& archiver) {
  auto& st = self->state;
  const Services& svc = *st.svc;
  if (!st.waiting.empty()) return CommandResult{retained("changing right now"), {}, {}};
  if (auto why = engine::retention_blocker(st.wf, cutoff))
    return CommandResult{retained(*why), {}, {}};
  auto plan = plan_purge(st.wf, *svc.store, *svc.users, *svc.ids, svc.clock(), bool(archiver));
  if (!plan) return CommandResult{plan.error(), {}, {}};
  auto promise = self->make_response_promise();
  if (!plan->archive_line) {
    erase_workflow(self, std::move(plan->erase), promise);
    return promise;
  }
  auto erase = std::make_shared<storage::WriteSet>(std::move(plan->erase));
  self->set_default_handler(caf::skip);
  self->become(caf::behavior{[](flush_atom) {}});  // holds every message back
  auto resume = [self] {
    self->set_default_handler(drop_unexpected);
    self->become(running(self));
  };
  self->request(archiver, svc.tunables.request_timeout, archive_atom::value,
                std::move(*plan->archive_line))
      .then(
          [=](const std::string& why) mutable {
            resume();
            if (why.empty()) return erase_workflow(self, std::move(*erase), promise);
            log_workflow(log::Level::warning, self->state.id, "not purged, archive failed: " + why);
            promise.deliver(CommandResult{make_error(Error::Kind::archive_failed, why), {}, {}});
          },
          [=](caf::error& e) mutable {
            resume();
            promise.deliver(
                CommandResult{make_error(Error::Kind::archive_failed, to_string(e)), {}, {}});
          });
  return promise;
}

caf::behavior running(WorkflowActorSelf* self) {
  return {
      [=](apply_atom, engine::Event& event) -> caf::result<CommandResult> {
        ++self->state.received;
        auto promise = self->make_response_promise();
        try {
          handle(self, event, promise);
        } catch (const std::exception& e) {
          // A bug, not the client's fault, and memory may be half-way
          // through the event.
          log_workflow(log::Level::error, self->state.id, std::string("event failed: ") + e.what());
          Error error = make_error(Error::Kind::internal, e.what());
          promise.deliver(CommandResult{error, {}, {}});
          restart_from_disk(self, error);
        }
        return promise;
      },
      [=](committed_atom, uint64_t ticket, bool ok, const std::string& why) {
        auto& st = self->state;
        if (!ok) {
          log_workflow(log::Level::error, st.id, "commit failed: " + why);
          return restart_from_disk(self, make_error(Error::Kind::commit_failed, why));
        }
        while (!st.waiting.empty() && st.waiting.front().ticket <= ticket) {
          AfterCommit done = std::move(st.waiting.front());
          st.waiting.pop_front();
          perform(self, done);
        }
        if (st.stopping && st.waiting.empty()) return self->quit();
        if (st.leave_when_durable && st.waiting.empty()) {
          st.leave_when_durable = false;
          self->send(st.svc->registry, idle_atom::value, st.id, st.received);
        }
      },
      [=](purge_atom, Millis cutoff, const caf::actor& archiver) -> caf::result<CommandResult> {
        ++self->state.received;
        try {
          return purge(self, cutoff, archiver);
        } catch (const std::exception& e) {
          // Nothing was submitted: the workflow stays, memory and disk agree.
          log_workflow(log::Level::error, self->state.id, std::string("purge failed: ") + e.what());
          self->set_default_handler(drop_unexpected);
          self->become(running(self));
          return CommandResult{make_error(Error::Kind::internal, e.what()), {}, {}};
        }
      },
      [=](recover_atom) {
        ++self->state.received;
        if (self->state.wf.exists()) resume_in_flight(self);
      },
      [=](stop_atom) {
        self->state.stopping = true;
        if (self->state.waiting.empty()) self->quit();
      },
      caf::after(self->state.svc->tunables.passivate_after) >>
          [=] {
            auto& st = self->state;
            if (st.waiting.empty())
              self->send(st.svc->registry, idle_atom::value, st.id, st.received);
          },
  };
}

bool start(WorkflowActorSelf* self) {
  auto loaded = load(*self->state.svc->store, self->state.id);
  if (!loaded) {
    log_workflow(log::Level::error, self->state.id, "load failed: " + loaded.error().message);
    self->quit(caf::sec::runtime_error);
    return false;
  }
  self->state.wf = std::move(*loaded);
  return true;
}

// Replies to our own sends and stray messages are logged and dropped: a
// workflow must never die of a message it did not ask for.
caf::result<caf::message> drop_unexpected(caf::scheduled_actor* self, caf::message_view& x) {
  log::warning(self->name(), "dropped unexpected message: " + to_string(x.content()));
  return caf::message{};
}

caf::behavior workflow_actor(WorkflowActorSelf* self, Uuid id, const Services* svc, bool recover) {
  self->state.id = id;
  self->state.svc = svc;
  self->set_default_handler(drop_unexpected);
  // An error message must not end the workflow: log it (the default quits).
  self->set_error_handler([self](caf::error& e) {
    log_workflow(log::Level::warning, self->state.id, "ignored error message: " + to_string(e));
  });
  if (!recover) {
    if (!start(self)) return {};
    return running(self);
  }
  // Commands wait in the mailbox until the disk has caught up with the
  // previous incarnation's last batch.
  self->set_default_handler(caf::skip);
  svc->committer->submit({}, [handle = caf::actor{self}](const Status&) {
    caf::anon_send(handle, loaded_atom::value);
  });
  return {
      [=](loaded_atom) {
        if (!start(self)) return;
        if (self->state.wf.exists()) resume_in_flight(self);
        self->set_default_handler(drop_unexpected);
        self->become(running(self));
      },
  };
}

}  // namespace

caf::actor spawn_workflow_actor(caf::event_based_actor* supervisor, Uuid id, const Services* svc,
                                bool recover) {
  return supervisor->spawn<caf::monitored>(workflow_actor, id, svc, recover);
}

}  // namespace backbeat::actors
