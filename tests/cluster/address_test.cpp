// "host:port" of a member's node agent (runtime/cluster/address.hpp).
#include <boost/test/unit_test.hpp>

#include "runtime/cluster/address.hpp"

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

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::cluster::test
