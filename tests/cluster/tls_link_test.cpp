// Member links over mutual TLS (runtime/cluster/link_security.hpp), with
// two or three actor systems in one process on loopback: what a member
// accepts and refuses, in both directions, and that a refused handshake
// leaves the links that work alone (openssl_error_queue.hpp).
#include <boost/test/unit_test.hpp>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "runtime/cluster/link_security.hpp"
#include "runtime/cluster/openssl_error_queue.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::cluster::test {
namespace {

using backbeat::test::TempDir;
using namespace std::chrono_literals;

// Takes an argument because CAF 0.17 dereferences a null argument tuple when
// it spawns a function of none, which UBSan reports.
caf::behavior echo(std::string prefix) {
  return {[prefix](const std::string& text) { return prefix + text; }};
}

// One member's actor system; null files: in clear.
struct Member {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> system;

  explicit Member(const TlsFiles* files) {
    cfg.load<caf::io::middleman>();
    if (files) use_tls(cfg, *files);
    system = std::make_unique<caf::actor_system>(cfg);
  }

  // The peer's actor at port, or the connect error, rendered.
  std::string dial(uint16_t port, caf::actor* out = nullptr) {
    caf::scoped_actor self{*system};
    std::string result;
    self->request(peer_connector(*system), 5s, caf::connect_atom::value, std::string("127.0.0.1"),
                  port)
        .receive(
            [&](const caf::node_id&, caf::strong_actor_ptr& ptr, const std::set<std::string>&) {
              result = ptr ? "linked" : "no actor";
              if (out) *out = caf::actor_cast<caf::actor>(ptr);
            },
            [&](caf::error& e) { result = system->render(e); });
    return result;
  }

  std::string ask(const caf::actor& peer, const std::string& text) {
    caf::scoped_actor self{*system};
    std::string result;
    self->request(peer, 5s, text).receive([&](const std::string& r) { result = r; },
                                         [&](caf::error& e) { result = system->render(e); });
    return result;
  }
};

struct Certs {
  TempDir ours{"backbeat-tls"}, theirs{"backbeat-tls"};
  Certs() {
    for (auto* dir : {&ours, &theirs}) {
      auto made = make_certs(CertsPlan{dir->str(), {"n1", "n2"}, false});
      BOOST_REQUIRE_MESSAGE(made.ok(), (made.ok() ? std::string() : made.error().message));
    }
  }
  TlsFiles member(const std::string& id) const { return member_files(ours.str(), id); }
  TlsFiles foreigner() const { return member_files(theirs.str(), "n2"); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(tls_link)

BOOST_AUTO_TEST_CASE(the_interposed_ssl_calls_are_in_effect) {
  BOOST_TEST(openssl_error_queue_repaired());
}

BOOST_AUTO_TEST_CASE(members_of_one_ca_link_and_others_are_refused_both_ways) {
  Certs certs;
  const TlsFiles n1 = certs.member("n1"), n2 = certs.member("n2"), stranger = certs.foreigner();
  Member host(&n1);
  auto agent = host.system->spawn(echo, std::string("echo:"));
  auto port = publish_agent(*host.system, agent, 0, "127.0.0.1");
  BOOST_REQUIRE(port);

  Member peer(&n2);
  caf::actor remote;
  BOOST_REQUIRE_EQUAL(peer.dial(*port, &remote), "linked");
  BOOST_TEST(peer.ask(remote, "one") == "echo:one");

  // A certificate of another CA: the host refuses it.
  Member impostor(&stranger);
  BOOST_TEST(impostor.dial(*port) == "system_error(disconnect_during_handshake)");
  // Our certificate but trusting another CA: it refuses the host.
  TlsFiles doubter = n2;
  doubter.ca = stranger.ca;
  Member suspicious(&doubter);
  BOOST_TEST(suspicious.dial(*port) == "system_error(disconnect_during_handshake)");
  // No TLS at all.
  Member plain(nullptr);
  BOOST_TEST(plain.dial(*port) == "system_error(disconnect_during_handshake)");

  // The refusals cost the good link nothing: on OpenSSL 3 each one left an
  // error behind that, unrepaired, failed the next quiet read of this link.
  for (const std::string text : {"two", "three", "four"})
    BOOST_TEST(peer.ask(remote, text) == "echo:" + text);
  caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::cluster::test
