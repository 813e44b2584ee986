#include "runtime/node.hpp"

#include <iostream>
#include <thread>

#include <signal.h>

#include <filesystem>
#include <future>
#include <unordered_map>
#include <random>
#include <set>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "actors/activity_runner.hpp"
#include "actors/api/api.hpp"
#include "runtime/cluster/cluster_boot.hpp"
#include "runtime/cluster/link_security.hpp"
#include "runtime/cluster/node_agent.hpp"
#include "actors/gateway_actor.hpp"
#include "actors/messages.hpp"
#include "actors/memory_trimmer.hpp"
#include "actors/notifier_actor.hpp"
#include "actors/redelivery_actor.hpp"
#include "actors/registry_actor.hpp"
#include "actors/retention_actor.hpp"
#include "actors/secrets.hpp"
#include "actors/services.hpp"
#include "actors/tenant_rules.hpp"
#include "actors/timer_actor.hpp"
#include "actors/user_directory.hpp"
#include "net/contract/error_body.hpp"
#include "net/endpoint_gate.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "storage/group_commit.hpp"
#include "storage/store.hpp"
#include "runtime/secrets_on_disk.hpp"
#include "runtime/command_errors.hpp"

namespace backbeat::runtime {

// Members are declared in start order; stop() tears them down explicitly
// because the safe order is not simply the reverse (see stop()).
struct Node::Parts {
  Config config;
  NodeSecrets secrets;
  std::unique_ptr<storage::Store> store;
  actors::UserDirectory users;
  std::unique_ptr<storage::GroupCommitter> committer;
  std::unique_ptr<net::HttpClient> http_client;
  std::unique_ptr<net::EndpointGate> gate;  // in front of http_client
  actors::RandomUuids ids;
  actors::QuotaBook quotas;
  std::unique_ptr<actors::TenantRules> tenant_rules;
  activity::Catalog activities;
  activity::Env activity_env;
  actors::Services svc;
  // The system keeps a reference to its config, so the config outlives it.
  std::unique_ptr<caf::actor_system_config> caf_config;
  std::unique_ptr<caf::actor_system> system;
  caf::actor gateway;
  caf::actor trimmer;
  std::unique_ptr<cluster::AgentLink> cluster_link;  // null on a single node
  caf::actor agent;
  uint16_t cluster_port = 0;
  std::unique_ptr<actors::api::Api> api;
  std::unique_ptr<net::HttpServer> server;
  uint16_t port = 0;
  bool stopped = false;

  // The start steps, in order.
  Status open_storage();
  Status seal_legacy_tokens();
  Status start_actors();
  Status recover_in_flight();
  Status start_http();
  Status start_cluster();  // publishes the node agent; after start_http
  Status spawn_agent();    // before start_http, so requests are placed from the first
  void fill_services();
};

namespace {

sigset_t shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// A factor in [0.8, 1.2]. One generator per thread: no lock on the hot path
// and no shared state between actors.
double jitter() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  thread_local std::uniform_real_distribution<double> factor{0.8, 1.2};
  return factor(rng);
}

// Set in code, never parsed from argv: CAF's parse() would consume our flags
// and read a caf-application.ini lying in the working directory.
std::unique_ptr<caf::actor_system_config> make_caf_config(const Config& c,
                                                          const cluster::LinkSecurity& links) {
  auto cfg = std::make_unique<caf::actor_system_config>();
  // On two cores CAF's defaults (4 workers, 500 sleepy polls before a worker
  // blocks) cost 4x in request latency (toolchain.md G4).
  cfg->set("scheduler.max-threads", static_cast<int64_t>(c.caf_max_threads));
  cfg->set("work-stealing.moderate-poll-attempts",
           static_cast<int64_t>(c.caf_moderate_poll_attempts));
  cfg->load<caf::io::middleman>();
  if (!c.cluster_member_id.empty()) {
    cluster::register_wire_types(*cfg);
    // CAF's own heartbeats close a connection to a hung peer, so requests to
    // it fail instead of piling up; membership has its own (cluster.*).
    cfg->set("middleman.heartbeat-interval", caf::timespan{std::chrono::seconds(1)});
    cfg->set("middleman.connection-timeout", caf::timespan{std::chrono::seconds(5)});
    if (links.tls) cluster::use_tls(*cfg, *links.tls);
  }
  return cfg;
}

}  // namespace

Status Node::Parts::open_storage() {
  if (auto s = secure_data_dir(config.data_dir); !s) return s;
  auto opened = storage::Store::open(config.data_dir);
  if (!opened) return startup_error(opened.error().message);
  store = std::move(*opened);
  if (auto loaded = users.load(*store); !loaded)
    return startup_error("cannot load users: " + loaded.error().message);
  committer = std::make_unique<storage::GroupCommitter>(*store);
  if (auto s = seal_legacy_tokens(); !s) return s;
  auto draining = store->get_meta(std::string(actors::kDrainingMetaKey));
  if (!draining) return startup_error("cannot read meta: " + draining.error().message);
  svc.draining = *draining && **draining == "1";
  return ok_status();
}

// Users from builds that kept the token itself: sealed (actors/secrets.hpp)
// and rewritten once, before any request is served.
Status Node::Parts::seal_legacy_tokens() {
  for (User user : users.all()) {
    if (user.legacy_token.empty()) continue;
    actors::set_token(user, user.legacy_token);
    ++user.version;
    std::promise<Status> written;
    storage::WriteSet writes;
    writes.put_user(user);
    committer->submit(std::move(writes), [&written](const Status& s) { written.set_value(s); });
    if (auto s = written.get_future().get(); !s)
      return startup_error("cannot seal the token of user " + user.id.str() + ": " +
                           s.error().message);
    users.put(user);
  }
  return ok_status();
}

static actors::QuotaBook quota_book(const Config& c) {
  actors::Quotas defaults{c.quota_decisions_per_request, c.quota_nodes_per_workflow,
                          c.quota_commands_in_flight, c.quota_callbacks_queued};
  std::unordered_map<Uuid, actors::Quotas> per_user;
  for (const auto& [id, o] : c.quota_overrides) {
    actors::Quotas q = defaults;
    if (o.decisions_per_request) q.decisions_per_request = *o.decisions_per_request;
    if (o.nodes_per_workflow) q.nodes_per_workflow = *o.nodes_per_workflow;
    if (o.commands_in_flight) q.commands_in_flight = *o.commands_in_flight;
    if (o.callbacks_queued) q.callbacks_queued = *o.callbacks_queued;
    per_user[*Uuid::parse(id)] = q;
  }
  return actors::QuotaBook(defaults, std::move(per_user));
}

void Node::Parts::fill_services() {
  const Config& c = config;
  svc.store = store.get();
  svc.committer = committer.get();
  svc.http = http_client.get();
  svc.gate = gate.get();
  svc.users = &users;
  svc.ids = &ids;
  quotas = quota_book(c);
  tenant_rules = std::make_unique<actors::TenantRules>(users, quotas, c.open_cross_user);
  svc.quotas = &quotas;
  svc.policy = tenant_rules.get();
  svc.clock = actors::wall_clock_ms;
  svc.jitter = jitter;
  svc.rules.client_timeout_s = c.client_timeout_s;
  svc.rules.max_retry_delay_s = c.max_retry_delay_s;
  svc.tunables.callback_connect_timeout = std::chrono::milliseconds(c.callback_connect_timeout_ms);
  svc.tunables.callback_timeout = std::chrono::milliseconds(c.callback_timeout_ms);
  svc.tunables.passivate_after = std::chrono::seconds(c.passivate_after_s);
  svc.tunables.timer_window = std::chrono::seconds(c.timer_window_s);
  svc.tunables.timer_rescan = std::chrono::seconds(c.timer_rescan_s);
  svc.tunables.max_commands_in_flight = c.http_max_in_flight;
  svc.tunables.max_commands_per_workflow = c.max_commands_per_workflow;
  svc.tunables.callback_rescan = std::chrono::seconds(c.callback_rescan_s);
  svc.retention.completed_after = std::chrono::seconds(c.retention_completed_after_s);
  svc.retention.sweep_interval = std::chrono::seconds(c.retention_sweep_interval_s);
  svc.retention.archive_dir = c.retention_archive_dir;
  svc.retention.batch_size = size_t(c.retention_batch_size);
  svc.tunables.max_activities_running = size_t(c.activities_max_running);
  activity_env.gate = gate.get();
  activity_env.clock = actors::wall_clock_ms;
  activity_env.http_allowed_urls = split_list(c.activities_http_allowed_urls);
  activity_env.http_connect_timeout = svc.tunables.callback_connect_timeout;
  activity_env.http_timeout = svc.tunables.callback_timeout;
  svc.activities = &activities;
  svc.activity_env = &activity_env;
}

Status Node::Parts::start_actors() {
  // The gate bounds connections per endpoint; curl's own caps only guard
  // file descriptors, and must not queue a healthy endpoint's calls behind
  // hanging ones (a total cap of 256 would, with 8 endpoints hanging).
  const long per_endpoint = long(config.callback_per_endpoint_concurrency);
  http_client = std::make_unique<net::HttpClient>(
      net::HttpClientOptions{std::max(4096L, 8 * per_endpoint), per_endpoint});
  gate = std::make_unique<net::EndpointGate>(
      *http_client, net::EndpointLimits{size_t(per_endpoint), size_t(config.callback_max_queued),
                                        size_t(config.callback_max_queued_per_endpoint)});
  if (auto s = activity::register_activities(activities, config.activities_test_kit); !s)
    return startup_error(s.error().message);
  fill_services();
  // main() has refused a bad TLS setup already (exit 2); checked again here
  // so no caller can start a member that links in clear by mistake.
  auto links = cluster::link_security(config);
  if (!links) return startup_error(links.error().message);
  caf_config = make_caf_config(config, *links);
  try {
    system = std::make_unique<caf::actor_system>(*caf_config);
  } catch (const std::exception& e) {
    return startup_error(std::string("cannot start the actor system: ") + e.what());
  }
  caf::actor_system& sys = *system;
  // Actors read these handles from Services without a lock, so each is set
  // before anything can send a message that leads to reading it. The timer
  // actor is spawned idle: it is the only one that starts work on its own
  // (due timers), and it is started only after recovery (recover_in_flight).
  svc.registry = actors::spawn_registry(sys, &svc);
  svc.notifier = actors::spawn_notifier(sys, &svc);
  svc.activity_runner = actors::spawn_activity_runner(sys, &svc);
  svc.redelivery = actors::spawn_redelivery(sys, &svc);
  gate->on_room(actors::room_signal(svc.redelivery));
  trimmer = actors::spawn_memory_trimmer(sys, &svc.metrics.workflow_actors);
  gateway = actors::spawn_gateway(sys, svc.registry, svc.tunables.request_timeout);
  svc.timers = actors::spawn_timer_actor(sys, actors::timer_deps(svc));
  if (svc.retention.enabled()) {
    // An archive that cannot be written would stop every purge: say so now.
    std::error_code ec;
    if (!svc.retention.archive_dir.empty())
      std::filesystem::create_directories(svc.retention.archive_dir, ec);
    if (ec)
      return startup_error("cannot create retention.archive_dir " + svc.retention.archive_dir +
                           ": " + ec.message());
    svc.sweeper = actors::spawn_retention(sys, &svc);
  }
  return ok_status();
}

// Nodes whose callback was on its way when the last run ended are sent
// again (at-least-once, invariant 3); their workflows' actors do it when
// started in recovery. The redelivery actor wakes them, as many at a time as
// their endpoints have room for, so a large backlog does not bring every
// such workflow into memory at once. A workflow a timer starts first is
// resumed all the same: recovery reaches a live actor too.
Status Node::Parts::recover_in_flight() {
  auto inflight = store->inflight_callbacks();
  if (!inflight) return startup_error("cannot read in-flight callbacks: " + inflight.error().message);
  actors::start_redelivery(svc.redelivery);
  actors::start_timer_actor(svc.timers);
  return ok_status();
}

Status Node::Parts::start_http() {
  actors::api::ReadLimits reads;
  reads.threads = size_t(config.http_read_threads);
  reads.queue_per_user = size_t(config.http_read_queue_per_user);
  reads.scan_budget = size_t(config.search_scan_budget);
  reads.max_page_depth = size_t(config.search_max_page_depth);
  reads.max_tree_nodes = size_t(config.http_max_tree_nodes);
  api = std::make_unique<actors::api::Api>(
      &svc, gateway,
      actors::api::ApiOptions{secrets.admin_token, config.require_auth_token, reads});
  net::HttpServerOptions options;
  options.host = config.http_host;
  options.port = config.http_port;
  options.io_threads = config.http_io_threads;
  options.max_body_bytes = config.http_max_body_bytes;
  options.header_timeout = std::chrono::seconds(config.http_header_timeout_s);
  options.body_timeout = std::chrono::seconds(config.http_body_timeout_s);
  options.idle_timeout = std::chrono::seconds(config.http_idle_timeout_s);
  options.max_connections_per_address = size_t(config.http_max_connections_per_address);
  options.tls_cert = config.http_tls_cert;
  options.tls_key = config.http_tls_key;
  // net/ cannot see the node's metrics; the server counts into them.
  options.counters = &svc.metrics.http_server;
  options.error_body = contract::transport_error_body;
  server = std::make_unique<net::HttpServer>(
      options, [handler = api.get()](net::HttpRequest&& request, net::Responder respond) {
        handler->handle(std::move(request), std::move(respond));
      });
  auto bound = server->start();
  if (!bound) return startup_error(bound.error().message);
  port = *bound;
  return ok_status();
}

Status Node::Parts::spawn_agent() {
  if (config.cluster_member_id.empty()) return ok_status();
  auto boot = cluster::boot_cluster(*store, config, "", "");
  if (!boot) return boot.error();
  cluster::ClusterSettings settings;
  settings.self_id = config.cluster_member_id;
  settings.partitions = uint32_t(config.cluster_partitions);
  settings.heartbeat = std::chrono::milliseconds(config.cluster_heartbeat_ms);
  settings.suspect_after = std::chrono::milliseconds(config.cluster_suspect_after_ms);
  settings.forward_timeout = svc.tunables.request_timeout;
  cluster_link = std::make_unique<cluster::AgentLink>(std::move(settings));
  agent = cluster::spawn_node_agent(
      *system, &svc, cluster_link.get(),
      cluster::AgentStart{boot->self, std::move(boot->map), std::move(boot->seed_addresses),
                          std::move(boot->join_addresses)});
  cluster_link->set_agent(agent);
  svc.cluster = cluster_link.get();
  return ok_status();
}

Status Node::Parts::start_cluster() {
  if (!agent) return ok_status();
  auto port = cluster::publish_agent(*system, agent, config.cluster_port, config.cluster_host);
  if (!port)
    return startup_error("cannot listen on cluster port " + config.cluster_host + ":" +
                         std::to_string(config.cluster_port) + ": " + system->render(port.error()));
  cluster_port = *port;
  cluster::start_agent(agent, api.get(), config.cluster_host + ":" + std::to_string(cluster_port),
                       config.http_host + ":" + std::to_string(this->port));
  return ok_status();
}

Node::Node(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Node::~Node() { stop(); }

Result<std::unique_ptr<Node>> Node::start(const Config& config, const NodeSecrets& secrets) {
  const sigset_t signals = shutdown_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto parts = std::make_unique<Parts>();
  parts->config = config;
  parts->secrets = secrets;
  std::unique_ptr<Node> node(new Node(std::move(parts)));
  Parts& p = *node->parts_;
  for (auto step : {&Parts::open_storage, &Parts::start_actors, &Parts::spawn_agent,
                    &Parts::recover_in_flight, &Parts::start_http, &Parts::start_cluster}) {
    if (auto s = (p.*step)(); !s) {
      node->stop();
      return s.error();
    }
  }
  return node;
}

const std::string& Node::http_host() const { return parts_->config.http_host; }

uint16_t Node::http_port() const { return parts_->port; }

uint16_t Node::cluster_port() const { return parts_->cluster_port; }

int Node::wait_for_shutdown_signal() {
  const sigset_t signals = shutdown_signals();
  int sig = 0;
  while (sigwait(&signals, &sig) != 0) {
  }
  return sig;
}

void Node::begin_stop() { parts_->svc.stopping = true; }

// The order matters:
// 1. HTTP first, so no request starts that could not finish.
// 2. Actors next, while the committer still runs: a workflow actor asked to
//    stop finishes the batch it is waiting on, so every 2xx already sent
//    stays true.
// 3. The callback client after the actors: its outstanding calls fail with
//    "client stopped", and those reports must reach no workflow, or a
//    shutdown would count as a failed delivery and burn a retry. The nodes
//    stay in flight on disk and are resent at the next start.
// 4. Handles are released before the system goes, which waits for the
//    actors' memory; then the committer drains and the store closes.
void Node::stop() {
  Parts& p = *parts_;
  if (p.stopped) return;
  p.stopped = true;
  // Commands already accepted finish and are answered before connections
  // close; new ones are turned away (503) meanwhile. Bounded, so a stuck
  // workflow cannot hold the shutdown.
  begin_stop();
  for (int i = 0; i < 1000 && p.svc.metrics.commands_in_flight > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  // A command counts as finished once its answer is handed over, not once
  // it is written: let the answers reach the wire before connections drop.
  if (p.server) {
    p.server->drain(std::chrono::seconds(2));
    p.server->stop();
  }
  if (p.system) {
    for (const caf::actor* h :
         {&p.gateway, &p.svc.registry, &p.svc.timers, &p.svc.notifier, &p.svc.sweeper,
          &p.svc.redelivery, &p.svc.activity_runner, &p.trimmer, &p.agent})
      if (*h) caf::anon_send_exit(*h, caf::exit_reason::user_shutdown);
    p.system->await_all_actors_done();
  }
  // Queued callbacks fail like those in flight ("client stopped"); they stay
  // in flight on disk for the next start.
  if (p.gate) p.gate->stop();
  if (p.http_client) p.http_client->stop();
  if (p.gate) p.gate->on_room({});  // drops its handle to the redelivery actor
  p.api.reset();
  p.gateway = nullptr;
  p.trimmer = nullptr;
  p.svc.registry = nullptr;
  p.svc.timers = nullptr;
  p.svc.notifier = nullptr;
  p.svc.redelivery = nullptr;
  p.svc.sweeper = nullptr;
  p.svc.activity_runner = nullptr;
  p.agent = nullptr;
  if (p.cluster_link) p.cluster_link->set_agent({});
  p.svc.cluster = nullptr;
  p.system.reset();
  p.server.reset();
  if (p.committer) {
    p.committer->stop();
    // The one figure that shows group commit at work: fsyncs vs. batches.
    const storage::GroupCommitStats st = p.committer->stats();
    std::cout << "group commit: " << st.batches << " batches in " << st.groups
              << " synced writes, largest group " << st.max_group << std::endl;
  }
  p.committer.reset();
  p.gate.reset();
  p.http_client.reset();
  p.store.reset();
}

}  // namespace backbeat::runtime
