// Who is up: the pure heartbeat and suspicion rules (docs/cluster.md,
// "Liveness is ours"), fed heartbeats and clock ticks by hand.
#include <boost/test/unit_test.hpp>

#include "runtime/cluster/rules/membership.hpp"

namespace backbeat::cluster::test {
namespace {

using Kind = MembershipChange::Kind;
constexpr Millis kSuspect = 1000;

MemberInfo info(const std::string& id, uint64_t incarnation = 1, const std::string& port = "") {
  const std::string p = port.empty() ? std::to_string(4300 + id.back() - '0') : port;
  return {id, incarnation, "127.0.0.1:" + p, "127.0.0.1:9" + p};
}

Membership make() { return Membership(info("n1"), kSuspect); }

std::vector<Kind> kinds(const std::vector<MembershipChange>& changes) {
  std::vector<Kind> out;
  for (const auto& c : changes) out.push_back(c.kind);
  return out;
}

const Member& member(const Membership& m, const std::string& id) { return m.members().at(id); }

}  // namespace

BOOST_AUTO_TEST_SUITE(membership)

BOOST_AUTO_TEST_CASE(starts_with_itself_up) {
  const Membership m = make();
  BOOST_TEST(m.members().size() == 1u);
  BOOST_TEST(m.is_up("n1"));
  BOOST_TEST((m.live_ids() == std::vector<std::string>{"n1"}));
  BOOST_TEST((m.self() == info("n1")));
  BOOST_TEST(!m.is_up("n2"));
}

BOOST_AUTO_TEST_CASE(learned_members_are_down_until_heard) {
  Membership m = make();
  BOOST_TEST(m.learn(info("n2")));
  BOOST_TEST(!m.learn(info("n2")));  // known already
  BOOST_TEST(!m.learn(info("n1")));  // ourselves
  BOOST_TEST(!m.learn(MemberInfo{}));
  BOOST_TEST(m.members().size() == 2u);
  BOOST_TEST(!m.is_up("n2"));
  BOOST_TEST(member(m, "n2").last_heard == 0);
  BOOST_TEST((m.live_ids() == std::vector<std::string>{"n1"}));
  BOOST_TEST(m.tick(1'000'000).empty());  // a member never heard is not reported down
}

BOOST_AUTO_TEST_CASE(heard_means_joined) {
  Membership m = make();
  m.learn(info("n2"));
  auto changes = m.heard(info("n2"), 100);
  BOOST_TEST((kinds(changes) == std::vector<Kind>{Kind::joined}));
  BOOST_TEST((changes.at(0).member == info("n2")));
  BOOST_TEST(m.is_up("n2"));
  BOOST_TEST(member(m, "n2").last_heard == 100);
  BOOST_TEST(m.heard(info("n2"), 200).empty());  // steady heartbeats change nothing
  BOOST_TEST(member(m, "n2").last_heard == 200);

  // A member nobody told us about is learned from its own heartbeat.
  BOOST_TEST((kinds(m.heard(info("n3"), 250)) == std::vector<Kind>{Kind::joined}));
  BOOST_TEST(m.is_up("n3"));
}

BOOST_AUTO_TEST_CASE(silence_longer_than_suspect_after_is_down) {
  Membership m = make();
  m.heard(info("n2"), 100);
  BOOST_TEST(m.tick(100 + kSuspect / 2).empty());
  BOOST_TEST(m.tick(100 + kSuspect).empty());  // exactly suspect_after: not yet
  BOOST_TEST(m.is_up("n2"));
  auto changes = m.tick(100 + kSuspect + 1);
  BOOST_TEST((kinds(changes) == std::vector<Kind>{Kind::down}));
  BOOST_TEST(changes.at(0).member.id == "n2");
  BOOST_TEST(!m.is_up("n2"));
  BOOST_TEST(m.tick(100 + 10 * kSuspect).empty());  // reported once
  BOOST_TEST((m.live_ids() == std::vector<std::string>{"n1"}));
}

BOOST_AUTO_TEST_CASE(heartbeats_keep_a_member_up) {
  Membership m = make();
  for (Millis t = 0; t <= 10 * kSuspect; t += kSuspect / 2) {
    m.heard(info("n2"), t + 1);
    BOOST_TEST(m.tick(t + 1 + kSuspect / 2).empty());
  }
  BOOST_TEST(m.is_up("n2"));
}

BOOST_AUTO_TEST_CASE(a_restart_after_down_is_a_rejoin) {
  Membership m = make();
  m.heard(info("n2", 1), 100);
  m.tick(100 + kSuspect + 1);
  BOOST_REQUIRE(!m.is_up("n2"));
  auto changes = m.heard(info("n2", 2), 5000);
  BOOST_TEST((kinds(changes) == std::vector<Kind>{Kind::rejoined}));
  BOOST_TEST(m.is_up("n2"));
  BOOST_TEST(member(m, "n2").info.incarnation == 2u);
}

BOOST_AUTO_TEST_CASE(a_restart_learned_by_gossip_first_is_still_a_rejoin) {
  // Every heartbeat lists the members its sender knows, the sender
  // included, and the agent learns that list before it counts the
  // heartbeat: hearing of the new incarnation second-hand must not turn
  // the rejoin into a plain join.
  Membership m = make();
  m.heard(info("n2", 1), 100);
  m.tick(100 + kSuspect + 1);
  m.learn(info("n2", 2));
  BOOST_TEST(!m.is_up("n2"));
  BOOST_TEST((kinds(m.heard(info("n2", 2), 5000)) == std::vector<Kind>{Kind::rejoined}));
  BOOST_TEST(m.is_up("n2"));
}

BOOST_AUTO_TEST_CASE(a_restart_seen_before_suspicion_is_a_rejoin_too) {
  Membership m = make();
  m.heard(info("n2", 1), 100);
  BOOST_TEST((kinds(m.heard(info("n2", 2), 300)) == std::vector<Kind>{Kind::rejoined}));
  BOOST_TEST(m.is_up("n2"));
}

BOOST_AUTO_TEST_CASE(a_frozen_member_that_thaws_is_back_with_its_incarnation) {
  // SIGSTOP then SIGCONT: the same incarnation heartbeats again.
  Membership m = make();
  m.heard(info("n2", 3), 100);
  m.tick(100 + kSuspect + 1);
  BOOST_TEST((kinds(m.heard(info("n2", 3), 9000)) == std::vector<Kind>{Kind::joined}));
  BOOST_TEST(m.is_up("n2"));
  BOOST_TEST(member(m, "n2").info.incarnation == 3u);
}

BOOST_AUTO_TEST_CASE(stale_incarnations_are_ignored) {
  Membership m = make();
  m.heard(info("n2", 2), 100);
  BOOST_TEST(m.heard(info("n2", 1, "5555"), 200).empty());  // sent before its restart
  BOOST_TEST((member(m, "n2").info == info("n2", 2)));
  BOOST_TEST(member(m, "n2").last_heard == 100);  // not a sign of life

  // Nor does a stale heartbeat bring a down member back.
  m.tick(100 + kSuspect + 1);
  BOOST_TEST(m.heard(info("n2", 1), 3000).empty());
  BOOST_TEST(!m.is_up("n2"));
}

BOOST_AUTO_TEST_CASE(an_address_change_is_reported) {
  Membership m = make();
  m.heard(info("n2", 1), 100);
  const MemberInfo moved = info("n2", 1, "6000");
  auto changes = m.heard(moved, 200);
  BOOST_TEST((kinds(changes) == std::vector<Kind>{Kind::address_changed}));
  BOOST_TEST((member(m, "n2").info == moved));
  BOOST_TEST(m.heard(moved, 300).empty());
}

BOOST_AUTO_TEST_CASE(a_draining_member_is_live_but_no_host) {
  Membership m = make();
  m.heard(info("n2", 1), 100);
  m.heard(info("n3", 1), 100);
  MemberInfo draining = info("n2", 1);
  draining.draining = true;
  BOOST_TEST((kinds(m.heard(draining, 200)) == std::vector<Kind>{Kind::draining_changed}));
  BOOST_TEST(m.heard(draining, 300).empty());
  BOOST_TEST((m.live_ids() == std::vector<std::string>{"n1", "n2", "n3"}));
  BOOST_TEST((m.hosts() == std::vector<std::string>{"n1", "n3"}));
  // Its own flag, as its heartbeats will tell it.
  m.set_draining(true);
  BOOST_TEST(m.self().draining);
  BOOST_TEST((m.hosts() == std::vector<std::string>{"n3"}));
  m.set_draining(false);
  BOOST_TEST((m.hosts() == std::vector<std::string>{"n1", "n3"}));
  // Undrained: reported again; down: no host either.
  BOOST_TEST((kinds(m.heard(info("n2", 1), 400)) == std::vector<Kind>{Kind::draining_changed}));
  m.tick(400 + kSuspect + 1);
  BOOST_TEST((m.hosts() == std::vector<std::string>{"n1"}));
}

BOOST_AUTO_TEST_CASE(self_never_goes_down_and_is_not_heard) {
  Membership m = make();
  BOOST_TEST(m.tick(1'000'000'000).empty());
  BOOST_TEST(m.is_up("n1"));
  BOOST_TEST(m.heard(info("n1", 7), 100).empty());  // an echo of ourselves
  BOOST_TEST(m.self().incarnation == 1u);
  BOOST_TEST(m.heard(MemberInfo{}, 100).empty());
}

BOOST_AUTO_TEST_CASE(live_ids_are_sorted) {
  Membership m(info("n5"), kSuspect);
  for (const char* id : {"n9", "n2", "n7", "n3"}) m.heard(info(id), 100);
  m.learn(info("n4"));  // known, not heard: not live
  BOOST_TEST((m.live_ids() == std::vector<std::string>{"n2", "n3", "n5", "n7", "n9"}));
  m.heard(info("n2"), 100 + kSuspect);
  m.tick(100 + kSuspect + 1);  // all but n2 (and self) go quiet
  BOOST_TEST((m.live_ids() == std::vector<std::string>{"n2", "n5"}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::cluster::test
