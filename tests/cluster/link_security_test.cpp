// Which links a node may run with (runtime/cluster/link_security.hpp): a
// single node needs no TLS; a member needs all three files or the explicit
// opt-out, and is told which keys and which command otherwise.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "runtime/cluster/link_security.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::cluster::test {
namespace {

runtime::Config member(const std::string& id) {
  runtime::Config c;
  c.cluster_member_id = id;
  return c;
}

std::string refusal(const runtime::Config& c) {
  auto s = link_security(c);
  return s.ok() ? std::string() : s.error().message;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(link_security_rules)

BOOST_AUTO_TEST_CASE(a_single_node_links_to_no_one) {
  auto s = link_security(runtime::Config{});
  BOOST_REQUIRE(s.ok());
  BOOST_TEST(!s->tls.has_value());
  BOOST_TEST(s->warning.empty());
}

BOOST_AUTO_TEST_CASE(a_member_without_tls_is_refused_unless_it_opts_out) {
  const std::string why = refusal(member("n2"));
  for (const char* said : {"cluster.tls_cert", "cluster.tls_key", "cluster.tls_ca",
                           "backbeat cluster certs DIR --members n2", "cluster.allow_plaintext = true"})
    BOOST_TEST(why.find(said) != std::string::npos, said << " not in: " << why);
  runtime::Config clear = member("n2");
  clear.cluster_allow_plaintext = true;
  auto s = link_security(clear);
  BOOST_REQUIRE(s.ok());
  BOOST_TEST(!s->tls.has_value());
  BOOST_TEST(s->warning.find("in clear") != std::string::npos, s->warning);
}

BOOST_AUTO_TEST_CASE(part_of_a_tls_setup_names_what_is_missing) {
  runtime::Config c = member("n1");
  c.cluster_tls_cert = "n1.crt";
  c.cluster_allow_plaintext = true;  // no excuse for a half setup
  const std::string why = refusal(c);
  BOOST_TEST(why.find("set cluster.tls_key, cluster.tls_ca too") != std::string::npos, why);
}

BOOST_AUTO_TEST_CASE(a_full_setup_is_checked_and_pinned_to_absolute_paths) {
  backbeat::test::TempDir dir("backbeat-links");
  auto made = make_certs(CertsPlan{dir.str(), {"n1"}, false});
  BOOST_REQUIRE(made.ok());
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  runtime::Config c = member("n1");
  c.cluster_tls_cert = "n1.crt";
  c.cluster_tls_key = "./n1.key";
  c.cluster_tls_ca = "ca.crt";
  auto s = link_security(c);
  std::filesystem::current_path(cwd);
  BOOST_REQUIRE_MESSAGE(s.ok(), (s.ok() ? std::string() : s.error().message));
  BOOST_REQUIRE(s->tls.has_value());
  BOOST_TEST(s->tls->cert == (dir.path() / "n1.crt").lexically_normal().string());
  BOOST_TEST(s->tls->key == (dir.path() / "n1.key").lexically_normal().string());
  BOOST_TEST(s->warning.empty());
  c.cluster_tls_cert = s->tls->cert;
  c.cluster_tls_key = s->tls->key;
  c.cluster_tls_ca = (dir.path() / "nope.crt").string();
  BOOST_TEST(refusal(c).find("cannot read cluster.tls_ca") != std::string::npos, refusal(c));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::cluster::test
