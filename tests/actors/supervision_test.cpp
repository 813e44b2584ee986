// Workflow actors leave memory when idle and come back from disk; a crashed
// one is restarted from its persisted state and re-sends what was in flight.
#include <boost/test/unit_test.hpp>
#include <future>
#include <thread>

#include "tests/support/eventually.hpp"
#include "tests/actors/actor_fixture.hpp"

using namespace backbeat;
using namespace backbeat::test;

namespace {

const Uuid kWf = *Uuid::parse("11111111-2222-5333-8444-555555555555");

engine::Event create(const Uuid& user) {
  return engine::ev::CreateWorkflow{kWf, user, "wf", "decider", "\"s\""};
}

engine::NodeSpec named(std::string name) {
  engine::NodeSpec spec;
  spec.name = std::move(name);
  return spec;
}

engine::Event signal(const Uuid& user) { return engine::ev::Signal{kWf, user, named("go")}; }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(supervision, ActorFixture)

BOOST_AUTO_TEST_CASE(idle_workflow_is_passivated_and_reloaded_from_disk) {
  BOOST_REQUIRE(!run(kWf, create(user.id)).error.has_value());
  BOOST_TEST(live_workflows() == 1u);
  BOOST_TEST(eventually([&] { return live_workflows() == 0; }, std::chrono::seconds(10), std::chrono::milliseconds(25)));

  // The next command spawns it again, from what the store holds.
  auto r = run(kWf, signal(user.id));
  BOOST_REQUIRE_MESSAGE(!r.error.has_value(), (r.error ? r.error->message : std::string()));
  BOOST_TEST(std::get<Node>(r.reply).name == "go");
  BOOST_TEST(live_workflows() == 1u);
  BOOST_TEST(endpoint.wait_for([](const net::HttpRequest& q) { return q.path() == "/decision"; })
                 .has_value());
}

// The POST itself lives in the endpoint gate, not in the actor: a crash of
// the actor does not end it, and its outcome reaches the next incarnation.
// So the restarted actor offers the node again (at-least-once) and the gate,
// seeing that very attempt still on its way, does not send it twice.
BOOST_AUTO_TEST_CASE(crashed_workflow_restarts_and_hears_its_in_flight_callback) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  endpoint.set_before_response([released](const net::HttpRequest&) { released.wait(); });

  BOOST_REQUIRE(!run(kWf, create(user.id)).error.has_value());
  auto sent = run(kWf, signal(user.id));
  BOOST_REQUIRE(!sent.error.has_value());
  const Uuid node = std::get<Node>(sent.reply).id;
  BOOST_REQUIRE(endpoint.wait_for([](const net::HttpRequest& q) { return q.path() == "/decision"; }));

  caf::actor first = actor_of(kWf);
  BOOST_REQUIRE(first);
  caf::anon_send_exit(first, caf::exit_reason::kill);
  // The supervisor brings up a new incarnation, which re-offers the node.
  BOOST_TEST(eventually([&] { auto a = actor_of(kWf); return a && a != first; }, std::chrono::seconds(10), std::chrono::milliseconds(25)));
  BOOST_TEST(eventually([&] { return svc.metrics.workflow_restarts == 1; }, std::chrono::seconds(10), std::chrono::milliseconds(25)));
  BOOST_TEST(!endpoint.wait_for([](const net::HttpRequest& q) { return q.path() == "/decision"; },
                                std::chrono::milliseconds(300))
                  .has_value());
  BOOST_TEST(gate->holds(net::CallKey{node, 1}));
  release.set_value();
  BOOST_TEST(eventually([&] { return !gate->holds(net::CallKey{node, 1}); }, std::chrono::seconds(10), std::chrono::milliseconds(25)));

  // Its state is the persisted one: the node can be completed.
  auto done = run(kWf, engine::ev::ClientStatusUpdate{user.id, node,
                                                      engine::ev::StatusWord::completed});
  BOOST_TEST(!done.error.has_value());
  auto nodes = store->load_nodes(kWf);
  BOOST_REQUIRE(nodes.ok());
  BOOST_TEST(to_string(nodes->at(0).server_status) == "complete");
}

BOOST_AUTO_TEST_CASE(link_update_is_durable_until_its_target_applies_it) {
  const Uuid other = *Uuid::parse("22222222-2222-5333-8444-555555555555");
  BOOST_REQUIRE(!run(kWf, create(user.id)).error.has_value());
  BOOST_REQUIRE(!run(other, engine::ev::CreateWorkflow{other, user.id, "wf2", "d", "\"t\""})
                     .error.has_value());
  auto target = run(other, engine::ev::Signal{other, user.id, named("target")});
  const Uuid target_id = std::get<Node>(target.reply).id;
  auto decision = run(kWf, signal(user.id));
  engine::NodeSpec linked = named("linked");
  linked.parent_link_id = target_id;
  auto added = run(kWf, engine::ev::AddDecisions{user.id, std::get<Node>(decision.reply).id, {linked}});
  BOOST_REQUIRE(!added.error.has_value());

  // The outbox record goes once the target's workflow has applied it.
  BOOST_TEST(eventually([&] {
    auto nodes = store->load_nodes(other);
    return nodes.ok() && !nodes->empty() && nodes->at(0).links.size() == 1;
  }, std::chrono::seconds(10), std::chrono::milliseconds(25)));
  BOOST_TEST(eventually([&] {
    auto outbox = store->load_outbox();
    return outbox.ok() && outbox->empty();
  }, std::chrono::seconds(10), std::chrono::milliseconds(25)));
}

BOOST_AUTO_TEST_SUITE_END()
