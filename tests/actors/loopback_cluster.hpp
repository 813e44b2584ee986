#pragma once
// Two cluster members in one process, each a real node's actors and store
// behind its own Api. The ClusterLink between them is a test double of the
// node agent: it hands forwarded and gathered requests straight to the
// other member's Api, marked as forwarded, as the agent does over the
// network, and records what it was asked. The partition map is fixed: even
// partitions on n1, odd ones on n2.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <future>
#include <map>
#include <mutex>
#include <set>

#include "actors/activity/catalog.hpp"
#include "actors/api/api.hpp"
#include "actors/gateway_actor.hpp"
#include "actors/link_intake.hpp"
#include "net/contract/json_text.hpp"
#include "engine/placement.hpp"
#include "tests/actors/actor_fixture.hpp"
#include "tests/actors/api_client.hpp"

// Names are kept in their own namespace: a test file takes them with
// `using namespace loopback`.
namespace backbeat::test::loopback {

using actors::ClusterLink;
using actors::MemberAnswer;
using actors::Placement;
using nlohmann::json;

inline constexpr uint32_t kPartitions = 8;

// The admin token every member takes, as a request header.
inline const std::vector<std::pair<std::string, std::string>> kAdmin = {
    {"Authorization", "Token token=\"admin-secret\""}};

inline std::string owner_of(uint32_t partition) { return partition % 2 ? "n2" : "n1"; }

// What the members' links share: who is there, who is down, what was asked.
struct Network {
  std::map<std::string, const actors::api::Api*> apis;
  std::map<std::string, actors::UserDirectory*> users;
  std::map<std::string, const actors::Services*> services;
  std::set<std::string> down;
  uint64_t epoch = 1;
  mutable std::mutex mu;
  mutable std::vector<std::string> trail;

  void note(std::string line) const {
    std::lock_guard lock(mu);
    trail.push_back(std::move(line));
  }
  std::vector<std::string> take_trail() {
    std::lock_guard lock(mu);
    return std::exchange(trail, {});
  }
};

class LoopbackLink final : public ClusterLink {
 public:
  LoopbackLink(Network& net, std::string self) : net_(net), self_(std::move(self)) {}

  const std::string& self_id() const override { return self_; }
  uint32_t partitions() const override { return kPartitions; }

  Placement place(uint32_t partition) const override {
    Placement pl;
    pl.partition = partition;
    pl.owner = owner_of(partition);
    pl.epoch = net_.epoch;
    if (net_.down.count(pl.owner)) {
      pl.kind = Placement::Kind::unavailable;
      pl.reason = "partition " + std::to_string(partition) + " is on " + pl.owner + ", which is down";
    } else {
      pl.kind = pl.owner == self_ ? Placement::Kind::local : Placement::Kind::remote;
    }
    return pl;
  }

  void forward(const Placement& pl, net::HttpRequest request, net::Responder respond) const override {
    net_.note(self_ + " forward " + std::to_string(pl.partition) + " to " + pl.owner + ": " +
              request.method + " " + request.target);
    request.headers.emplace_back(actors::kForwardedHeader, self_ + " " + std::to_string(pl.epoch));
    net_.apis.at(pl.owner)->handle_from_member(std::move(request), std::move(respond));
  }

  void gather(net::HttpRequest request,
              std::function<void(std::vector<MemberAnswer>)> done) const override {
    net_.note(self_ + " gather: " + request.method + " " + request.target);
    std::vector<std::string> up;
    for (const auto& [id, api] : net_.apis)
      if (!net_.down.count(id)) up.push_back(id);
    struct Pending {
      std::mutex mu;
      std::vector<MemberAnswer> answers;
      size_t left;
      std::function<void(std::vector<MemberAnswer>)> done;
    };
    auto pending = std::make_shared<Pending>();
    pending->answers.resize(up.size());
    pending->left = up.size();
    pending->done = std::move(done);
    for (size_t i = 0; i < up.size(); ++i) {
      net::HttpRequest copy = request;
      copy.headers.emplace_back(actors::kForwardedHeader, self_ + " " + std::to_string(net_.epoch));
      net_.apis.at(up[i])->handle_from_member(std::move(copy), [pending, i, member = up[i]](net::HttpResponse r) {
        std::unique_lock lock(pending->mu);
        pending->answers[i] = MemberAnswer{member, true, std::move(r), ""};
        if (--pending->left > 0) return;
        auto answers = std::move(pending->answers);
        lock.unlock();
        pending->done(std::move(answers));
      });
    }
  }

  // As the owner's agent does: the owner applies it through its registry.
  void deliver_link(const Placement& pl, const storage::OutboxEntry& link,
                    std::function<void(bool)> done) const override {
    net_.note(self_ + " link " + link.target_node.str() + " to " + pl.owner);
    if (net_.down.count(pl.owner)) return done(false);
    const actors::Services* owner = net_.services.at(pl.owner);
    // Arguments, not captures: CAF 0.17 mishandles a spawned function that
    // takes none (a null std::tuple<>, which UBSan reports).
    owner->registry.home_system().spawn(
        [](caf::event_based_actor* self, const actors::Services* on, storage::OutboxEntry entry,
           std::function<void(bool)> answer) { actors::take_link(self, *on, entry, answer); },
        owner, link, done);
  }

  void share_user(const User& user) const override {
    net_.note(self_ + " share " + user.name);
    for (const auto& [id, directory] : net_.users)
      if (id != self_) directory->put(user);
  }

  json status() const override { return {{"self", self_}}; }

  std::optional<Placement> place_member(const std::string& id) const override {
    if (!net_.apis.count(id)) return std::nullopt;
    Placement pl;
    pl.owner = id;
    if (id == self_) return pl;
    pl.kind = net_.down.count(id) ? Placement::Kind::unavailable : Placement::Kind::remote;
    return pl;
  }

  void set_draining(bool on, std::function<void(std::string)> done) const override {
    net_.note(self_ + (on ? " draining" : " not draining"));
    done("");
  }

 private:
  Network& net_;
  std::string self_;
};

struct Member {
  Member(Network& net, const std::string& id, actors::api::ReadLimits reads = {}) : link(net, id) {
    node.svc.activities = &catalog;
    node.svc.cluster = &link;
    gateway =
        actors::spawn_gateway(*node.system, node.svc.registry, node.svc.tunables.request_timeout);
    api = std::make_unique<actors::api::Api>(&node.svc, gateway,
                                             actors::api::ApiOptions{"admin-secret", true, reads});
    net.apis[id] = api.get();
    net.users[id] = &node.users;
    net.services[id] = &node.svc;
  }
  ~Member() { caf::anon_send_exit(gateway, caf::exit_reason::user_shutdown); }

  ActorFixture node;
  activity::Catalog catalog;
  LoopbackLink link;
  caf::actor gateway;
  std::unique_ptr<actors::api::Api> api;
};

struct Cluster {
  Network net;
  Member n1;
  Member n2;
  User user = n1.node.user;  // known to both members

  explicit Cluster(actors::api::ReadLimits reads = {}) : n1(net, "n1", reads), n2(net, "n2", reads) {
    n2.node.users.put(user);
  }

  Member& member(const std::string& id) { return id == "n1" ? n1 : n2; }

  Reply ask(Member& at, std::string method, std::string target, json body = nullptr,
            std::vector<std::pair<std::string, std::string>> extra = {}) {
    return ask_api(*at.api, user, std::move(method), std::move(target), body, std::move(extra));
  }

  // A workflow created through `at`; its id and the member owning it.
  std::pair<std::string, std::string> create(Member& at, const std::string& name, json subject) {
    Reply r = ask(at, "POST", "/workflows",
                  {{"name", name}, {"decider", "D"}, {"subject", std::move(subject)}});
    BOOST_TEST_REQUIRE(r.status == 201, r.raw.body);
    const std::string id = r.body["id"];
    return {id, owner_of(partition_of_workflow(*Uuid::parse(id), kPartitions))};
  }

  bool stored_on(Member& m, const std::string& workflow) {
    auto wf = m.node.store->get_workflow(*Uuid::parse(workflow));
    BOOST_TEST_REQUIRE(wf.ok());
    return wf->has_value();
  }

  // Workflows created through alternating gateways until both members own some.
  std::vector<std::pair<std::string, std::string>> spread(size_t count, const std::string& prefix = "w") {
    std::vector<std::pair<std::string, std::string>> out;
    for (size_t i = 0; i < count; ++i)
      out.push_back(create(i % 2 ? n2 : n1, prefix + std::to_string(i % 3), {{"n", i}}));
    return out;
  }
};

inline std::vector<std::string> ids_in(const json& listing) {
  std::vector<std::string> out;
  for (const json& row : listing) out.push_back(row["id"]);
  return out;
}

inline bool any_line(const std::vector<std::string>& trail, std::string_view part) {
  return std::any_of(trail.begin(), trail.end(),
                     [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

}  // namespace backbeat::test::loopback
