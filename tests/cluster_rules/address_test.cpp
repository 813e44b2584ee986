// "host:port" of a member's node agent (runtime/cluster/address.hpp).
#include <boost/test/unit_test.hpp>

#include "runtime/cluster/rules/address.hpp"

namespace backbeat::cluster::test {

BOOST_AUTO_TEST_SUITE(address)

BOOST_AUTO_TEST_CASE(host_and_port_are_split_at_the_last_colon) {
  auto a = parse_host_port("127.0.0.1:4301");
  BOOST_REQUIRE(a.has_value());
  BOOST_TEST(a->host == "127.0.0.1");
  BOOST_TEST(a->port == 4301);
  auto b = parse_host_port("node-3.example:65535");
  BOOST_REQUIRE(b.has_value());
  BOOST_TEST(b->host == "node-3.example");
  BOOST_TEST(b->port == 65535);
}

BOOST_AUTO_TEST_CASE(anything_else_is_refused) {
  for (const char* bad : {"", ":", "host", "host:", ":4301", "host:0", "host:65536", "host:-1",
                          "host:+1", "host:43a1", "host:4301 ", "host:99999999999999999999"})
    BOOST_TEST(!parse_host_port(bad).has_value(), "'" << bad << "'");
}

BOOST_AUTO_TEST_CASE(of_two_members_only_the_lower_address_dials) {
  const std::string low = "127.0.0.1:4301", high = "127.0.0.1:4302";
  BOOST_TEST(should_dial(low, high, false, false));
  BOOST_TEST(!should_dial(high, low, false, false));
  BOOST_TEST(!should_dial(high, low, false, true));  // it knows us: it dials
  BOOST_TEST(!should_dial(low, low, true, true));     // never itself
  BOOST_TEST(!should_dial(low, "", true, true));
}

BOOST_AUTO_TEST_CASE(a_join_address_is_dialed_by_the_higher_one_once_alone_a_while) {
  const std::string seed = "127.0.0.1:4301", joiner = "127.0.0.1:4309";
  BOOST_TEST(!should_dial(joiner, seed, true, false));  // the seed may know it and dial
  BOOST_TEST(should_dial(joiner, seed, true, true));
  BOOST_TEST(should_dial(seed, joiner, true, false));   // lower: at once
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::cluster::test
