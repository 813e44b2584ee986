// Grants and the per-workflow node quota (docs/security.md), as the engine
// enforces them through Context::policy: issue 13's findings 1 and 2 and the
// 74,001-node request, each refused here without the state moving.
#include <map>
#include <set>
#include <utility>

#include "tests/unit/engine_fixture.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::engine::test {
namespace {

class FakePolicy final : public TenantPolicy {
 public:
  std::set<std::pair<Uuid, Uuid>> grants;  // (requester, other)
  std::map<Uuid, uint64_t> max_nodes;      // by owner; unlimited when absent

  bool may_involve(const Uuid& requester, const Uuid& other) const override {
    return grants.count({requester, other}) > 0;
  }
  uint64_t max_nodes_per_workflow(const Uuid& owner) const override {
    auto it = max_nodes.find(owner);
    return it == max_nodes.end() ? UINT64_MAX : it->second;
  }
};

struct PolicyFixture : EngineFixture {
  FakePolicy policy;
  const Uuid stranger{0x9, 0x9};  // a user id nobody knows
  PolicyFixture() {
    ctx.policy = &policy;
    create();
  }
};

void check_forbidden(const Error& e) {
  BOOST_TEST((backbeat::test::http_status(e) == 403));
  BOOST_TEST(backbeat::test::error_class(e) == "Backbeat::Forbidden");
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(tenant_policy, PolicyFixture)

BOOST_AUTO_TEST_CASE(without_a_policy_anyone_may_be_named_as_before) {
  ctx.policy = nullptr;
  const Uuid s = signal(Spec("sig").client(other_user));
  BOOST_TEST((node(s).user_id == other_user));
}

BOOST_AUTO_TEST_CASE(a_signal_may_not_hand_a_node_to_an_ungranted_user) {
  const Error known = fails(ev::Signal{wf, user, Spec("sig").client(other_user)});
  check_forbidden(known);
  // An unknown id reads the same, so ids cannot be probed.
  const Error unknown = fails(ev::Signal{wf, user, Spec("sig").client(stranger)});
  check_forbidden(unknown);
  BOOST_TEST(unknown.message.substr(unknown.message.find(' ', 10)) ==
             known.message.substr(known.message.find(' ', 10)));
  // Naming oneself needs no grant.
  BOOST_TEST((node(signal(Spec("sig").client(user))).user_id == user));
}

BOOST_AUTO_TEST_CASE(a_grant_lets_the_node_go_to_the_other_user) {
  policy.grants.insert({user, other_user});
  const Uuid s = signal(Spec("sig").client(other_user));
  BOOST_TEST((node(s).user_id == other_user));
  BOOST_TEST((node(s).created_by == user));
  // A grant is one way: the other user may not hand nodes back.
  report(s, W::processing);
  const Error back = fails(ev::AddDecisions{other_user, s, {Spec("a").client(user)}});
  check_forbidden(back);
}

BOOST_AUTO_TEST_CASE(one_ungranted_decision_refuses_the_whole_request) {
  const Uuid s = sent_signal();
  policy.grants.insert({user, other_user});
  const Error e = fails(ev::AddDecisions{
      user, s, {Spec("a"), Spec("b").client(other_user), Spec("c").client(stranger)}});
  check_forbidden(e);
  BOOST_TEST(e.message.find(stranger.str()) != std::string::npos);
  BOOST_TEST(decide(s, {Spec("a"), Spec("b").client(other_user)}).size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_workflow_holds_at_most_its_owners_quota_of_nodes) {
  policy.max_nodes[user] = 3;
  policy.max_nodes[other_user] = 1000;  // not the owner: does not count
  const Uuid s = sent_signal();         // node 1
  const Error e = fails(ev::AddDecisions{user, s, {Spec("a"), Spec("b"), Spec("c")}});
  BOOST_TEST((backbeat::test::http_status(e) == 409));
  BOOST_TEST(backbeat::test::error_class(e) == "Backbeat::QuotaExceeded");
  BOOST_TEST(e.message.find("holds 1 nodes and may hold at most 3") != std::string::npos, e.message);
  decide(s, {Spec("a"), Spec("b")});  // nodes 2 and 3: exactly the quota
  BOOST_TEST(backbeat::test::error_class(fails(ev::Signal{wf, user, Spec("more")})) ==
             "Backbeat::QuotaExceeded");
}

BOOST_AUTO_TEST_CASE(nodes_handed_to_another_user_count_against_the_owner) {
  policy.grants.insert({user, other_user});
  policy.max_nodes[user] = 2;
  const Uuid s = sent_signal();
  decide(s, Spec("a").client(other_user));
  BOOST_TEST(backbeat::test::error_class(fails(ev::AddDecisions{
                 user, s, {Spec("b").client(other_user)}})) == "Backbeat::QuotaExceeded");
}

BOOST_AUTO_TEST_CASE(a_link_carries_who_made_it) {
  const Uuid s = sent_signal();
  const Uuid target{0x7, 0x7};
  decide(s, Spec("linker").mode(Mode::non_blocking).link(target));
  BOOST_REQUIRE(last.effects.links.size() == 1u);
  BOOST_TEST((last.effects.links[0].by_user == user));
}

// Finding 1: a link to another user's node held that node forever. Where
// the update is applied, the target's owner must be its maker or granted.
BOOST_AUTO_TEST_CASE(a_link_from_an_ungranted_user_is_dropped_where_applied) {
  const Uuid target = sent_signal();  // the user's node
  const Uuid msg{0x8, 0x8};
  ok(ev::LinkUpdate{target, Uuid{0x6, 0x6}, false, msg, other_user});
  BOOST_TEST(node(target).links.empty());
  BOOST_TEST(last.effects.links_refused == 1u);
  // The sender's record is done with all the same: never re-sent.
  BOOST_REQUIRE(last.effects.messages_done.size() == 1u);
  BOOST_TEST((last.effects.messages_done[0] == msg));
  // A finished update cannot sneak in what the registration could not.
  ok(ev::LinkUpdate{target, Uuid{0x6, 0x6}, true, std::nullopt, other_user});
  BOOST_TEST(node(target).links.empty());
}

BOOST_AUTO_TEST_CASE(a_link_from_the_owner_or_a_granted_user_is_applied) {
  const Uuid target = sent_signal();
  ok(ev::LinkUpdate{target, Uuid{0x6, 0x1}, false, std::nullopt, user});
  policy.grants.insert({other_user, user});
  ok(ev::LinkUpdate{target, Uuid{0x6, 0x2}, false, std::nullopt, other_user});
  // Records from before the check carry no maker: let through.
  ok(ev::LinkUpdate{target, Uuid{0x6, 0x3}, false, std::nullopt, Uuid{}});
  BOOST_TEST(node(target).links.size() == 3u);
  BOOST_TEST(last.effects.links_refused == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::engine::test
