#include "tests/actors/actor_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include "actors/secrets.hpp"

namespace backbeat::test {

ActorFixture::ActorFixture() : dir("backbeat-actors") {
  auto opened = storage::Store::open((dir.path() / "data").string());
  BOOST_REQUIRE(opened.ok());
  store = std::move(*opened);
  committer = std::make_unique<storage::GroupCommitter>(*store);
  http = std::make_unique<net::HttpClient>();
  gate = std::make_unique<net::EndpointGate>(*http, net::EndpointLimits{});
  user.id = ids.next();
  user.name = "tester";
  user.decision_endpoint = endpoint.url("decision");
  user.activity_endpoint = endpoint.url("activity");
  actors::set_token(user, "t");
  users.put(user);

  svc.store = store.get();
  svc.committer = committer.get();
  svc.http = http.get();
  svc.gate = gate.get();
  svc.users = &users;
  svc.ids = &ids;
  svc.clock = actors::wall_clock_ms;
  svc.tunables.passivate_after = std::chrono::seconds(1);
  cfg = std::make_unique<caf::actor_system_config>();
  cfg->set("scheduler.max-threads", 2);
  system = std::make_unique<caf::actor_system>(*cfg);
  // The registry first: the timer actor takes its handle. Neither sends
  // anything before a test does.
  svc.registry = actors::spawn_registry(*system, &svc);
  svc.notifier = actors::spawn_notifier(*system, &svc);
  svc.timers = actors::spawn_timer_actor(*system, actors::timer_deps(svc));
}

ActorFixture::~ActorFixture() {
  http->stop();
  for (caf::actor* a : {&svc.registry, &svc.timers, &svc.notifier}) {
    caf::anon_send_exit(*a, caf::exit_reason::user_shutdown);
    *a = caf::actor{};
  }
  system.reset();
  committer->stop();
}

actors::CommandResult ActorFixture::run(const Uuid& wf, engine::Event event) {
  actors::CommandResult out;
  caf::scoped_actor self{*system};  // fresh per request (toolchain G5)
  self->request(svc.registry, std::chrono::seconds(10), actors::route_atom::value, wf,
                std::move(event))
      .receive([&](actors::CommandResult& r) { out = std::move(r); },
               [&](caf::error& e) { BOOST_FAIL("request failed: " + to_string(e)); });
  return out;
}

size_t ActorFixture::live_workflows() {
  size_t n = 0;
  caf::scoped_actor self{*system};
  self->request(svc.registry, std::chrono::seconds(10), actors::stats_atom::value)
      .receive([&](size_t count) { n = count; }, [&](caf::error&) {});
  return n;
}

caf::actor ActorFixture::actor_of(const Uuid& wf) {
  caf::actor a;
  caf::scoped_actor self{*system};
  self->request(svc.registry, std::chrono::seconds(10), actors::lookup_atom::value, wf)
      .receive([&](caf::actor& x) { a = x; }, [&](caf::error&) {});
  return a;
}

}  // namespace backbeat::test
