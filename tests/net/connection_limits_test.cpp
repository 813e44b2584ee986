// The per-address bookkeeping behind http.max_connections_per_address.
#include <boost/test/unit_test.hpp>

#include "net/connection_limits.hpp"

namespace backbeat::test {
namespace {

const net::AddressKey kLocal = net::ipv4_key(0x7f000001);   // 127.0.0.1
const net::AddressKey kOther = net::ipv4_key(0x7f000002);   // 127.0.0.2

}  // namespace

BOOST_AUTO_TEST_SUITE(connection_limits)

BOOST_AUTO_TEST_CASE(addresses_are_counted_apart_up_to_the_limit) {
  net::AddressCounts counts;
  BOOST_TEST(counts.try_acquire(kLocal, 2));
  BOOST_TEST(counts.try_acquire(kLocal, 2));
  BOOST_TEST(!counts.try_acquire(kLocal, 2));
  BOOST_TEST(counts.try_acquire(kOther, 2));
  BOOST_TEST(counts.open(kLocal) == 2u);
  BOOST_TEST(counts.total() == 3u);  // the refusal holds nothing
  counts.release(kLocal);
  BOOST_TEST(counts.try_acquire(kLocal, 2));
}

BOOST_AUTO_TEST_CASE(zero_is_no_limit_and_released_addresses_are_forgotten) {
  net::AddressCounts counts;
  for (int i = 0; i < 1000; ++i) BOOST_REQUIRE(counts.try_acquire(kLocal, 0));
  for (int i = 0; i < 1000; ++i) counts.release(kLocal);
  counts.release(kOther);  // never acquired: no effect
  BOOST_TEST(counts.addresses() == 0u);
  BOOST_TEST(counts.total() == 0u);
  // A refusal leaves no entry behind either.
  BOOST_TEST(counts.try_acquire(kOther, 1));
  BOOST_TEST(!counts.try_acquire(kOther, 1));
  counts.release(kOther);
  BOOST_TEST(counts.addresses() == 0u);
}

BOOST_AUTO_TEST_CASE(keys_print_as_the_address_they_are) {
  BOOST_TEST(net::to_string(kLocal) == "127.0.0.1");
  net::AddressKey v6{};
  v6[15] = 1;
  BOOST_TEST(net::to_string(v6) == "::1");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
