#include "tests/actors/engine_driver.hpp"

#include <algorithm>

#include "actors/persistence.hpp"
#include "storage/codec.hpp"

namespace backbeat::test {
namespace {

std::string raw(const Uuid& id) {
  auto b = id.bytes();
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

// Order keys (storage/indexes.hpp) hold ids bit-inverted.
std::string inverted(const Uuid& id) { return raw(Uuid{~id.hi, ~id.lo}); }

}  // namespace

Snapshot snapshot_of(const storage::Store& store) {
  Snapshot out;
  auto view = store.view();
  for (size_t f = 0; f < storage::kFamilyCount; ++f) {
    if (static_cast<storage::Family>(f) == storage::Family::meta) continue;
    auto cursor = view->cursor(static_cast<storage::Family>(f), {});
    auto found = cursor->seek({});
    for (; found && *found; found = cursor->next())
      out[{int(f), std::string(cursor->suffix())}] = std::string(cursor->value());
    BOOST_REQUIRE(found.ok());
  }
  return out;
}

engine::NodeSpec spec(std::string name, std::optional<Uuid> client) {
  engine::NodeSpec s;
  s.name = std::move(name);
  s.client_id = client;
  return s;
}

EngineDriver::EngineDriver() {
  auto opened = storage::Store::open(dir.str());
  BOOST_REQUIRE(opened.ok());
  store = std::move(*opened);
  for (const User& u : {user, other, alerts}) users.put(u);
}

engine::Reply EngineDriver::apply(const Uuid& wf, const engine::Event& e) {
  engine::WorkflowState& st = states[wf];
  auto out = engine::apply(st, e, engine::Context{now, &ids, nullptr, engine::Rules{}});
  BOOST_REQUIRE_MESSAGE(out.ok(), (out.ok() ? "" : out.error().message));
  auto plan = actors::plan_persistence(wf, st, out->effects, users, ids, now);
  BOOST_REQUIRE(!plan.writes.error());
  BOOST_REQUIRE(store->write(std::move(plan.writes), true).ok());
  now += 1000;
  return out->reply;
}

void EngineDriver::report(const Uuid& wf, const Uuid& who, const Uuid& node,
                          engine::ev::StatusWord w) {
  apply(wf, engine::ev::ClientStatusUpdate{who, node, w, R"({"done":true})", "null"});
}

Uuid EngineDriver::create(const std::string& subject) {
  const Uuid wf = ids.next();
  apply(wf, engine::ev::CreateWorkflow{wf, user.id, "order", "OrderDecider", subject});
  return wf;
}

Uuid EngineDriver::run_workflow(const std::string& subject, bool complete) {
  using W = engine::ev::StatusWord;
  const Uuid wf = create(subject);
  const Node go = std::get<Node>(apply(wf, engine::ev::Signal{wf, user.id, spec("go")}));
  const auto kids = std::get<std::vector<Uuid>>(
      apply(wf, engine::ev::AddDecisions{user.id, go.id, {spec("a"), spec("b", other.id)}}));
  report(wf, user.id, go.id, W::processing);
  report(wf, user.id, go.id, W::completed);
  report(wf, user.id, kids[0], W::errored);
  const std::vector<Timer> retry = engine::timers_of(*states[wf].find(kids[0]));
  BOOST_REQUIRE_EQUAL(retry.size(), 1u);
  now = std::max(now, retry[0].due);
  apply(wf, engine::ev::TimerFired{retry[0]});
  report(wf, user.id, kids[0], W::completed);
  report(wf, other.id, kids[1], W::completed);
  BOOST_REQUIRE(states[wf].find(go.id)->server_status == ServerStatus::complete);
  if (complete) apply(wf, engine::ev::SetFlag{wf, user.id, engine::ev::WorkflowFlag::complete});
  return wf;
}

KeyOwners::KeyOwners(const std::unordered_map<Uuid, engine::WorkflowState>& states) {
  for (const auto& [id, st] : states) {
    needles_[raw(id)] = id;
    needles_[inverted(id)] = id;
    for (const Node& n : st.nodes()) {
      needles_[raw(n.id)] = id;
      needles_[inverted(n.id)] = id;
    }
  }
}

std::set<Uuid> KeyOwners::owners(int family, const std::string& key,
                                 const std::string& value) const {
  std::set<Uuid> out;
  if (family == int(storage::Family::outbox)) {
    // Its key is its own id; the record names its sender.
    auto entry = storage::decode<storage::OutboxEntry>(value);
    BOOST_REQUIRE(entry.ok());
    if (!entry->workflow_id.is_nil()) out.insert(entry->workflow_id);
    return out;
  }
  for (const std::string* text : {&key, &value})
    for (size_t at = 0; at + 16 <= text->size(); ++at)
      if (auto it = needles_.find(text->substr(at, 16)); it != needles_.end())
        out.insert(it->second);
  return out;
}

}  // namespace backbeat::test
