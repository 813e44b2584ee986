#include "runtime/cluster/node_agent.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include <caf/io/all.hpp>

#include "engine/log.hpp"
#include "runtime/cluster/agent_state.hpp"
#include "runtime/cluster/link_relay.hpp"
#include "runtime/cluster/link_security.hpp"
#include "runtime/cluster/partition_moves.hpp"
#include "runtime/cluster/rules/address.hpp"
#include "storage/write_set.hpp"

namespace backbeat::cluster {
namespace {

WireMember wire_member(const MemberInfo& m) {
  return {m.id, m.incarnation, m.cluster_address, m.http_address, m.draining};
}
MemberInfo member_info(const WireMember& m) {
  return {m.id, m.incarnation, m.cluster_address, m.http_address, m.draining};
}

WireLoad own_load(const actors::Services& svc) {
  return {svc.metrics.workflow_actors.load(), svc.metrics.commands_in_flight.load(),
          svc.metrics.activities_running.load()};
}

}  // namespace

Millis now_ms(AgentSelf* self) { return self->state.svc->clock(); }

void publish(AgentSelf* self) {
  auto& st = self->state;
  ClusterSnapshot snap;
  snap.map = st.map;
  snap.members = st.members->members();
  snap.loads = {st.loads.begin(), st.loads.end()};
  snap.loads[st.members->self().id] = own_load(*st.svc);
  snap.problems = st.problems;
  snap.moving = st.moving;
  st.link->publish(std::move(snap));
}

void persist(AgentSelf* self, storage::WriteSet writes, Written then) {
  write_durably(self, self->state.writer, std::move(writes), std::move(then));
}

caf::actor peer_of(AgentSelf* self, const std::string& member_id) {
  auto& st = self->state;
  auto m = st.members->members().find(member_id);
  if (m == st.members->members().end()) return {};
  auto p = st.peers.find(m->second.info.cluster_address);
  return p == st.peers.end() ? caf::actor{} : p->second;
}

void heartbeat_all(AgentSelf* self) {
  auto& st = self->state;
  Heartbeat hb;
  hb.from = wire_member(st.members->self());
  for (const auto& [id, m] : st.members->members()) hb.known.push_back(wire_member(m.info));
  hb.map = st.map.serialize();
  hb.load = own_load(*st.svc);
  for (const auto& [address, peer] : st.peers) self->send(peer, heartbeat_atom::value, hb);
}

namespace {

// Shown by GET /admin/cluster and logged, each once; a few at most, as
// heartbeats repeat them.
void note_problem(AgentSelf* self, const std::string& problem) {
  auto& problems = self->state.problems;
  if (problems.size() >= 20 || std::find(problems.begin(), problems.end(), problem) != problems.end())
    return;
  log::warning("cluster", problem);
  problems.push_back(problem);
}

// Asynchronous, through the middleman actor (the TLS one on a member with
// TLS: link_security.hpp), with a timeout: a frozen peer accepts TCP and
// then never answers the handshake.
void connect(AgentSelf* self, const std::string& address) {
  auto& st = self->state;
  if (address.empty() || address == st.members->self().cluster_address || st.peers.count(address))
    return;
  if (auto it = st.connecting.find(address); it != st.connecting.end()) return;
  auto where = parse_host_port(address);
  if (!where) return note_problem(self, "bad cluster address " + address);
  st.connecting[address] = now_ms(self);
  self->request(peer_connector(self->system()), std::chrono::seconds(5), caf::connect_atom::value, where->host, where->port)
      .then(
          [=](const caf::node_id&, caf::strong_actor_ptr& ptr, const std::set<std::string>&) {
            auto& st = self->state;
            st.connecting.erase(address);
            if (!ptr) return;
            auto peer = caf::actor_cast<caf::actor>(ptr);
            self->monitor(peer);
            st.peers[address] = peer;
            st.peer_addresses[peer.address()] = address;
          },
          [=](caf::error& e) {
            self->state.connecting.erase(address);
            // A refused certificate, on either side, closes the link right
            // here; the accepting side never hears of it. A refused TCP
            // connection (the peer not started yet) is not worth a note.
            if (e == caf::sec::disconnect_during_handshake)
              note_problem(self, "the link to " + address +
                                     " closed during its handshake: a certificate not signed "
                                     "by this cluster's CA (on either side), a peer without "
                                     "TLS, or a peer that stopped meanwhile");
          });
}

void send_users(AgentSelf* self, const caf::actor& peer) {
  std::vector<WireUser> users;
  for (const User& u : self->state.svc->users->all()) users.push_back(to_wire(u));
  if (!users.empty()) self->send(peer, users_atom::value, std::move(users));
}

// A user another member created or changed (token, grants, disabled):
// stored like one changed here, unless this member has that version already.
void adopt_user(AgentSelf* self, const WireUser& wire) {
  const actors::Services& svc = *self->state.svc;
  User user = from_wire(wire);
  auto known = svc.users->find(wire.id);
  if (!known) {
    return svc.users->create(*svc.committer, user, [user](const Status& s) {
      if (s) return;
      if (s.error().kind == Error::Kind::duplicate_user)
        return log::warning("cluster", "user " + user.id.str() + " named '" + user.name +
                                           "' conflicts with a local user of that name; not adopted");
      log::error("cluster", "cannot store user " + user.id.str() + ": " + s.error().message);
    });
  }
  if (known->version >= user.version) return;
  user.name = known->name;  // names never change; a different one is not taken
  storage::WriteSet writes;
  writes.put_user(user);
  svc.committer->submit(std::move(writes), [&svc, user](const Status& s) {
    if (!s)
      return log::error("cluster", "cannot store user " + user.id.str() + ": " + s.error().message);
    if (svc.users->adopt(user)) return;
    // A newer version overtook this one on its way to disk, which now holds
    // the older: write the newer again so a restart loads it.
    if (auto newer = svc.users->find(user.id); newer && newer->version > user.version) {
      storage::WriteSet again;
      again.put_user(*newer);
      svc.committer->submit(std::move(again), [](const Status&) {});
    }
  });
}

void on_changes(AgentSelf* self, const std::vector<MembershipChange>& changes) {
  for (const MembershipChange& c : changes) {
    switch (c.kind) {
      case MembershipChange::Kind::joined:
        log::info("cluster", "member " + c.member.id + " is up (incarnation " +
                                 std::to_string(c.member.incarnation) + ")");
        break;
      case MembershipChange::Kind::rejoined:
        log::info("cluster", "member " + c.member.id + " rejoined as incarnation " +
                                 std::to_string(c.member.incarnation));
        break;
      case MembershipChange::Kind::down:
        log::info("cluster", "member " + c.member.id + " is down (no heartbeat)");
        continue;
      case MembershipChange::Kind::address_changed:
        log::info("cluster", "member " + c.member.id + " moved to " + c.member.cluster_address);
        break;
      case MembershipChange::Kind::draining_changed:
        log::info("cluster", "member " + c.member.id +
                                 (c.member.draining ? " is draining" : " is no longer draining"));
        continue;
    }
    // Up again, or new: whatever users it missed, it gets now.
    if (auto peer = peer_of(self, c.member.id)) send_users(self, peer);
  }
}

// `then` runs once a changed map is durable (at once if nothing changed).
void merge_map(AgentSelf* self, const std::string& text, const std::string& from,
               std::function<void()> then) {
  auto& st = self->state;
  auto theirs = PartitionMap::parse(text);
  if (!theirs || theirs->partitions() == 0) return then();
  bool changed = false;
  // Checked against this member's own count: a joining member's empty map
  // would take any.
  if (theirs->partitions() != st.link->partitions()) {
    note_problem(self, "member " + from + " has " + std::to_string(theirs->partitions()) +
                           " partitions, this one " + std::to_string(st.link->partitions()));
    return then();
  }
  std::vector<uint32_t> conflicts;
  st.map.merge(*theirs, &changed, &conflicts);  // same counts: it cannot refuse
  if (!conflicts.empty()) {
    const uint32_t p = conflicts.front();
    note_problem(self, "member " + from + " gives partition " + std::to_string(p) + " (and " +
                           std::to_string(conflicts.size() - 1) + " more) to " + theirs->owner(p) +
                           " at the epoch this member gives it to " + st.map.owner(p) +
                           ": was it given seed ids where it should have joined (--join)?");
  }
  if (!changed) return then();
  log::info("cluster", "partition map now at epoch " + std::to_string(st.map.epoch()));
  storage::WriteSet writes;
  writes.put_meta(kMapMetaKey, st.map.serialize());
  persist(self, std::move(writes), [self, then](const std::string& why) {
    if (!why.empty()) log::error("cluster", "cannot persist the partition map: " + why);
    settle_arrivals(self, then);
  });
}

constexpr const char* kDrainingKey = "cluster.draining";  // "1" while draining

// Recorded before it is told: a restart keeps draining.
void set_draining(AgentSelf* self, bool on, DrainDone reply) {
  storage::WriteSet writes;
  writes.put_meta(kDrainingKey, on ? "1" : "");
  persist(self, std::move(writes), [self, on, reply](const std::string& why) {
    if (!why.empty()) return reply.done("cannot record draining: " + why);
    auto& st = self->state;
    if (st.members->self().draining != on)
      log::info("cluster",
                on ? "draining: partitions move to the other members" : "no longer draining");
    st.members->set_draining(on);
    heartbeat_all(self);
    publish(self);
    reply.done({});
  });
}

bool stored_draining(AgentSelf* self) {
  auto text = self->state.svc->store->get_meta(kDrainingKey);
  return text && *text && **text == "1";
}

// One dialer per pair of members (should_dial in address.hpp).
void dial_peers(AgentSelf* self, Millis now) {
  auto& st = self->state;
  if (!st.peers.empty())
    st.alone_since = 0;
  else if (st.alone_since == 0)
    st.alone_since = now;
  // Three rounds: a member that knows this one dials within one.
  const bool alone_long =
      st.alone_since != 0 && now - st.alone_since >= 3 * st.link->settings().heartbeat.count();
  const std::string& me = st.members->self().cluster_address;
  const auto dial = [&](const std::string& address, bool may_not_know_us) {
    if (should_dial(me, address, may_not_know_us, alone_long)) connect(self, address);
  };
  for (const std::string& seed : st.seeds)
    dial(seed, std::find(st.joins.begin(), st.joins.end(), seed) != st.joins.end());
  for (const auto& [id, m] : st.members->members()) dial(m.info.cluster_address, false);
}

void tick(AgentSelf* self) {
  auto& st = self->state;
  // After a long gap (this process was frozen) the silence is ours, not the
  // peers': give their heartbeats one round to arrive before suspecting.
  const Millis now = now_ms(self);
  if (now - st.last_tick <= st.link->settings().suspect_after.count())
    on_changes(self, st.members->tick(now));
  st.last_tick = now;
  dial_peers(self, now);
  heartbeat_all(self);
  check_outgoing(self);
  plan_moves(self);
  publish(self);
}

// Runs a request another member forwarded through this member's API. The
// answer comes back as a message, so the promise is delivered on this actor.
caf::result<WireResponse> run_forwarded(AgentSelf* self, WireRequest& request) {
  auto& st = self->state;
  auto promise = self->make_response_promise();
  const uint64_t id = ++st.next_reply;
  st.replies.emplace(id, promise);
  st.api->handle_from_member(from_wire(std::move(request)), [handle = caf::actor{self}, id](net::HttpResponse r) {
    caf::anon_send(handle, reply_atom::value, id, to_wire(r));
  });
  return promise;
}

// Asks every member up, this one included; `done` hears them all, in
// member id order.
void gather(AgentSelf* self, const WireRequest& request, GatherDone done) {
  auto& st = self->state;
  // Answers arrive on this actor (remote members) and on whatever thread
  // finishes a local request, hence the lock.
  struct Pending {
    std::mutex mu;
    std::vector<actors::MemberAnswer> answers;
    size_t left = 0;
    GatherDone done;
  };
  auto pending = std::make_shared<Pending>();
  pending->done = std::move(done);
  const auto ids = st.members->live_ids();
  pending->answers.resize(ids.size());
  pending->left = ids.size();
  auto answered = [pending](size_t i, actors::MemberAnswer a) {
    {
      std::lock_guard<std::mutex> lock(pending->mu);
      pending->answers[i] = std::move(a);
      if (--pending->left != 0) return;
    }
    pending->done(std::move(pending->answers));
  };
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string member = ids[i];
    if (member == st.members->self().id) {
      st.api->handle_from_member(from_wire(request), [answered, i, member](net::HttpResponse r) {
        answered(i, actors::MemberAnswer{member, true, std::move(r), {}});
      });
      continue;
    }
    caf::actor peer = peer_of(self, member);
    if (!peer) {
      answered(i, actors::MemberAnswer{member, false, {}, "not connected"});
      continue;
    }
    self->request(peer, st.link->settings().forward_timeout, forward_atom::value, request)
        .then(
            [=](WireResponse& r) {
              answered(i, actors::MemberAnswer{member, true, from_wire(std::move(r)), {}});
            },
            [=](caf::error& e) {
              answered(i, actors::MemberAnswer{member, false, {}, to_string(e)});
            });
  }
}

caf::behavior running(AgentSelf* self) {
  return {
      [=](caf::tick_atom) {
        tick(self);
        self->delayed_send(self, self->state.link->settings().heartbeat, caf::tick_atom::value);
      },
      [=](heartbeat_atom, const Heartbeat& hb) {
        auto& st = self->state;
        // A peer that reached us first: answer on the connection it came in
        // on, at once, rather than a tick later after connecting back.
        if (!st.peers.count(hb.from.cluster_address))
          if (auto sender = caf::actor_cast<caf::actor>(self->current_sender())) {
            self->monitor(sender);
            st.peers[hb.from.cluster_address] = sender;
            st.peer_addresses[sender.address()] = hb.from.cluster_address;
          }
        for (const WireMember& m : hb.known) st.members->learn(member_info(m));
        on_changes(self, st.members->heard(member_info(hb.from), now_ms(self)));
        st.loads[hb.from.id] = hb.load;
        merge_map(self, hb.map, hb.from.id, [self] { publish(self); });
      },
      [=](forward_atom, WireRequest& request) { return run_forwarded(self, request); },
      [=](reply_atom, uint64_t id, WireResponse& response) {
        auto& st = self->state;
        auto it = st.replies.find(id);
        if (it == st.replies.end()) return;
        it->second.deliver(std::move(response));
        st.replies.erase(it);
      },
      [=](forward_out_atom, const std::string& member, WireRequest& request,
          net::Responder& respond) {
        caf::actor peer = peer_of(self, member);
        if (!peer) return respond(unavailable_response("member " + member + " is not connected"));
        self->request(peer, self->state.link->settings().forward_timeout, forward_atom::value,
                      std::move(request))
            .then([respond](WireResponse& r) { respond(from_wire(std::move(r))); },
                  [respond, member](caf::error& e) {
                    respond(unavailable_response("member " + member +
                                                 " did not answer: " + to_string(e)));
                  });
      },
      [=](link_out_atom, const std::string& member, const WireLink& link, const LinkDone& done) {
        send_link(self, member, link, done);
      },
      [=](link_atom, const WireLink& link) { return take_remote_link(self, link); },
      [=](gather_atom, const WireRequest& request, GatherDone& done) {
        gather(self, request, std::move(done));
      },
      [=](drain_atom, bool on, const DrainDone& reply) { set_draining(self, on, reply); },
      [=](share_atom, const WireUser& user) {
        for (const auto& [address, peer] : self->state.peers)
          self->send(peer, user_atom::value, user);
      },
      [=](move_atom, const MoveOrder& order) { return carry_out(self, order); },
      [=](import_atom, ImportBatch& batch) { return take_batch(self, batch); },
      [=](abort_atom, uint32_t partition) { drop_incoming(self, partition); },
      [=](drop_atom, uint32_t partition) { purge_step(self, partition); },
      [=](user_atom, const WireUser& user) { adopt_user(self, user); },
      [=](users_atom, const std::vector<WireUser>& users) {
        for (const WireUser& u : users) adopt_user(self, u);
      },
  };
}

caf::behavior node_agent(AgentSelf* self, const actors::Services* svc, AgentLink* link,
                         AgentStart start) {
  auto& st = self->state;
  st.svc = svc;
  st.link = link;
  st.members = std::make_unique<Membership>(start.self, link->settings().suspect_after.count());
  st.map = std::move(start.map);
  st.seeds = std::move(start.seeds);
  st.joins = std::move(start.joins);
  st.writer = spawn_durable_writer(self, svc->committer);
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    auto it = st.peer_addresses.find(dm.source);
    if (it == st.peer_addresses.end()) return;
    st.peers.erase(it->second);  // reconnected at the next tick
    st.peer_addresses.erase(it);
  });
  // Replies and errors of peers we did not ask for must not stop the agent.
  self->set_default_handler(caf::drop);
  self->set_error_handler(
      [](caf::error& e) { log::warning("cluster", "ignored error: " + to_string(e)); });
  publish(self);
  return {
      [=](api_atom, const ApiRef& api, const std::string& cluster_address,
          const std::string& http_address) {
        auto& st = self->state;
        st.api = api.api;
        MemberInfo me = st.members->self();
        me.cluster_address = cluster_address;
        me.http_address = http_address;
        me.draining = stored_draining(self);
        st.members = std::make_unique<Membership>(me, st.link->settings().suspect_after.count());
        resume_moves(self);
        self->become(running(self));
        self->send(self, caf::tick_atom::value);
      },
  };
}

}  // namespace

caf::actor spawn_node_agent(caf::actor_system& system, const actors::Services* svc,
                            AgentLink* link, AgentStart start) {
  return system.spawn(node_agent, svc, link, std::move(start));
}

void start_agent(const caf::actor& agent, const actors::api::Api* api,
                 const std::string& cluster_address, const std::string& http_address) {
  caf::anon_send(agent, api_atom::value, ApiRef{api}, cluster_address, http_address);
}

}  // namespace backbeat::cluster
