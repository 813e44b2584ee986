#include "tests/unit/engine_fixture.hpp"
#include "tests/support/error_view.hpp"

#include <sstream>

namespace backbeat::engine::test {
namespace {

template <class T, class F>
std::string join(const std::vector<T>& xs, F&& render_one) {
  std::string out;
  for (const T& x : xs) {
    if (!out.empty()) out += ", ";
    out += render_one(x);
  }
  return out;
}

std::string opt(const std::optional<Uuid>& id) { return id ? id->str() : "-"; }
std::string opt(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "-"; }

std::string row(const StatusChange& sc) {
  return std::string(sc.type == StatusType::server ? "S " : "C ") + sc.from_status + ">" +
         sc.to_status;
}

std::string kind_name(TimerKind k) {
  switch (k) {
    case TimerKind::start_node: return "start_node";
    case TimerKind::retry: return "retry";
    case TimerKind::deadline: return "deadline";
  }
  return "?";
}

}  // namespace

std::string status_pair(S server, C client) {
  return std::string(to_string(server)) + "/" + std::string(to_string(client));
}

std::string dump(const Node& n) {
  std::ostringstream o;
  o << n.id.str() << " wf=" << n.workflow_id.str() << " user=" << n.user_id.str()
    << " parent=" << opt(n.parent_id) << " link=" << opt(n.parent_link_id) << " name=" << n.name
    << " mode=" << to_string(n.mode) << " type=" << n.legacy_type
    << " activity_type=" << n.activity_type << " "
    << status_pair(n.server_status, n.client_status) << " seq=" << n.seq
    << " fires_at=" << n.fires_at << " complete_by=" << opt(n.complete_by)
    << " retries=" << n.retries_remaining << " interval=" << n.retry_interval_s
    << " made=" << n.retries_made << " data=" << n.client_data << " meta=" << n.metadata
    << " links=[";
  for (const LinkRef& l : n.links) o << l.node_id.str() << (l.finished ? ":done " : ":open ");
  o << "] changes=" << n.status_change_count << " pending=" << n.callback_pending
    << " attempt=" << n.attempt << " timeout=" << opt(n.timeout_s) << " created=" << n.created_at
    << " updated=" << n.updated_at;
  return o.str();
}

std::string dump(const Workflow& w) {
  std::ostringstream o;
  o << w.id.str() << " user=" << w.user_id.str() << " name=" << w.name << " decider=" << w.decider
    << " subject=" << w.subject << " complete=" << w.complete << " paused=" << w.paused
    << " created=" << w.created_at << " updated=" << w.updated_at << " next_seq=" << w.next_seq;
  return o.str();
}

EngineFixture::EngineFixture() {
  ctx.now = kT0;
  ctx.ids = &ids;
  ctx.jitter = [] { return 1.0; };
}

Result<Outcome> EngineFixture::attempt(const Event& e) { return apply(state, e, ctx); }

const Outcome& EngineFixture::ok(const Event& e) {
  Result<Outcome> r = attempt(e);
  if (!r)
    BOOST_TEST_REQUIRE(r.ok(), "apply failed: " << backbeat::test::error_class(r.error()) << ": "
                                                << r.error().message);
  last = std::move(r).value();
  return last;
}

Error EngineFixture::fails(const Event& e) {
  const std::string before = snapshot();
  Result<Outcome> r = attempt(e);
  BOOST_TEST_REQUIRE(!r.ok(), "apply succeeded where it should have failed");
  BOOST_TEST(snapshot() == before);
  return r.error();
}

const Outcome& EngineFixture::create() {
  return ok(ev::CreateWorkflow{wf, user, "wf-name", "decider", "{\"a\":1}"});
}

Uuid EngineFixture::signal(const NodeSpec& spec) {
  const Outcome& out = ok(ev::Signal{wf, user, spec});
  BOOST_TEST_REQUIRE(std::holds_alternative<Node>(out.reply));
  return std::get<Node>(out.reply).id;
}

std::vector<Uuid> EngineFixture::decide(const Uuid& parent, const std::vector<NodeSpec>& specs) {
  const Outcome& out = ok(ev::AddDecisions{user, parent, specs});
  BOOST_TEST_REQUIRE(std::holds_alternative<std::vector<Uuid>>(out.reply));
  return std::get<std::vector<Uuid>>(out.reply);
}

Uuid EngineFixture::decide(const Uuid& parent, const NodeSpec& spec) {
  return decide(parent, std::vector<NodeSpec>{spec}).at(0);
}

const Outcome& EngineFixture::set_flag(ev::WorkflowFlag f) { return ok(ev::SetFlag{wf, user, f}); }

ev::ClientStatusUpdate EngineFixture::word(const Uuid& node, W w, std::string response,
                                           std::string error) const {
  return ev::ClientStatusUpdate{node_user(node), node, w, std::move(response), std::move(error)};
}

const Outcome& EngineFixture::report(const Uuid& node, W w, std::string response,
                                     std::string error) {
  return ok(word(node, w, std::move(response), std::move(error)));
}

const Outcome& EngineFixture::restart(const Uuid& n) { return ok(ev::Restart{node_user(n), n}); }
const Outcome& EngineFixture::reset(const Uuid& n) { return ok(ev::Reset{node_user(n), n}); }
const Outcome& EngineFixture::schedule(const Uuid& n) {
  return ok(ev::ScheduleNode{node_user(n), n});
}

const Outcome& EngineFixture::fire(TimerKind kind, const Uuid& n) {
  for (const Timer& t : timers(n))
    if (t.kind == kind) return ok(ev::TimerFired{t});
  BOOST_TEST_REQUIRE(false, name(n) << " wants no " << kind_name(kind) << " timer");
  return last;
}

const Outcome& EngineFixture::delivered(const Uuid& n) {
  return ok(ev::CallbackOutcome{n, node(n).attempt, true, ""});
}

const Outcome& EngineFixture::undeliverable(const Uuid& n, std::string message) {
  return ok(ev::CallbackOutcome{n, node(n).attempt, false, std::move(message)});
}

Uuid EngineFixture::sent_signal() {
  create();
  sig = signal();
  BOOST_TEST_REQUIRE(status(sig) == "sent_to_client/received");
  return sig;
}

std::vector<Uuid> EngineFixture::running_children(const std::vector<NodeSpec>& specs) {
  sent_signal();
  std::vector<Uuid> children = decide(sig, specs);
  report(sig, W::completed);
  return children;
}

Uuid EngineFixture::sent_activity(const NodeSpec& spec) {
  const Uuid a = running_children({spec}).at(0);
  BOOST_TEST_REQUIRE(status(a) == "sent_to_client/received");
  return a;
}

const Node& EngineFixture::node(const Uuid& id) const {
  const Node* n = state.find(id);
  BOOST_TEST_REQUIRE(n != nullptr, "no node " << id.str());
  return *n;
}

Uuid EngineFixture::node_user(const Uuid& id) const {
  const Node* n = state.find(id);
  return n ? n->user_id : user;
}

std::string EngineFixture::status(const Uuid& id) const {
  const Node& n = node(id);
  return status_pair(n.server_status, n.client_status);
}

std::string EngineFixture::name(const Uuid& id) const {
  const Node* n = state.find(id);
  return n ? n->name : id.str();
}

std::string EngineFixture::snapshot() const {
  std::string out = state.exists() ? dump(state.workflow()) : "no workflow";
  for (const Node& n : state.nodes()) out += "\n" + dump(n);
  return out;
}

Timer EngineFixture::timer(TimerKind kind, const Uuid& node, Millis due) const {
  return Timer{due, wf, node, kind};
}

std::string EngineFixture::rows(const Uuid& node) const {
  std::vector<StatusChange> mine;
  for (const StatusChange& sc : last.effects.status_changes)
    if (sc.node_id == node) mine.push_back(sc);
  return join(mine, row);
}

std::string EngineFixture::rows_with_response(const Uuid& node) const {
  std::vector<StatusChange> mine;
  for (const StatusChange& sc : last.effects.status_changes)
    if (sc.node_id == node) mine.push_back(sc);
  return join(mine, [](const StatusChange& sc) { return row(sc) + " " + sc.response; });
}

std::string EngineFixture::all_rows() const {
  return join(last.effects.status_changes,
              [&](const StatusChange& sc) { return name(sc.node_id) + " " + row(sc); });
}

std::string EngineFixture::callbacks() const {
  return join(last.effects.callbacks,
              [&](const Callback& c) { return name(c.node_id) + "#" + std::to_string(c.attempt); });
}

std::string EngineFixture::notifications() const {
  return join(last.effects.notifications, [&](const Notification& n) {
    return name(n.node_id) + " " + n.message + " " + n.error;
  });
}

std::string EngineFixture::links() const {
  return join(last.effects.links, [&](const LinkMessage& l) {
    return name(l.link_node) + "->" + name(l.target_node) +
           (l.finished ? " finished" : " registered");
  });
}

std::string EngineFixture::render(const Timer& t) const {
  const Millis d = t.due - now();
  std::string offset = d % kSec == 0 ? std::to_string(d / kSec) + "s" : std::to_string(d) + "ms";
  if (d >= 0) offset = "+" + offset;
  const std::string wf_mark = t.workflow_id == wf ? "" : " wf=" + t.workflow_id.str();
  return kind_name(t.kind) + " " + name(t.node_id) + " @" + offset + wf_mark;
}

std::string EngineFixture::render(const std::vector<Timer>& ts) const {
  return join(ts, [&](const Timer& t) { return render(t); });
}

std::string EngineFixture::names(const std::vector<Uuid>& ids) const {
  return join(ids, [&](const Uuid& id) { return name(id); });
}

void check_transition_error(const Error& e, bool server_field, std::string_view from,
                            std::string_view to) {
  const std::string field = server_field ? "server" : "client";
  BOOST_TEST((backbeat::test::http_status(e) == 409));
  BOOST_TEST(backbeat::test::error_class(e) == (server_field
                                                    ? "Backbeat::InvalidServerStatusChange"
                                                    : "Backbeat::InvalidClientStatusChange"));
  BOOST_TEST(e.message == "Cannot transition current_" + field + "_status from " +
                              std::string(from) + " to " + std::string(to));
  BOOST_TEST(e.detail("current_status") == from);
  BOOST_TEST(e.detail("attempted_status") == to);
}

}  // namespace backbeat::engine::test
