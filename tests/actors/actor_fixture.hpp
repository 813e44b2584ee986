#pragma once
// A node's actors in-process, on a real store in a temp dir and a real HTTP
// endpoint for callbacks: for what HTTP cannot show (passivation, restarts).
#include <caf/all.hpp>
#include <memory>

#include "actors/messages.hpp"
#include "actors/notifier_actor.hpp"
#include "actors/registry_actor.hpp"
#include "actors/services.hpp"
#include "actors/timer_actor.hpp"
#include "tests/support/fake_endpoint.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::test {

struct ActorFixture {
  ActorFixture();
  ~ActorFixture();

  // Sends one engine event to a workflow through the registry and waits.
  actors::CommandResult run(const Uuid& wf, engine::Event event);
  size_t live_workflows();
  caf::actor actor_of(const Uuid& wf);

  TempDir dir;
  FakeEndpoint endpoint;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::GroupCommitter> committer;
  std::unique_ptr<net::HttpClient> http;
  std::unique_ptr<net::EndpointGate> gate;
  actors::UserDirectory users;
  actors::RandomUuids ids;
  actors::Services svc;
  User user;
  std::unique_ptr<caf::actor_system_config> cfg;
  std::unique_ptr<caf::actor_system> system;
};

}  // namespace backbeat::test
