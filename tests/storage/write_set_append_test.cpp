// Several sets made one, so they apply in one atomic write (a partition's
// batch of copies, a purge step).
#include <boost/test/unit_test.hpp>

#include "storage/write_set.hpp"
#include "tests/storage/store_fixture.hpp"

namespace backbeat::storage::test {

BOOST_FIXTURE_TEST_SUITE(write_set_append, StoreFixture)

BOOST_AUTO_TEST_CASE(appended_operations_follow_in_order_and_land_together) {
  WriteSet first, second;
  first.put_meta("a", "1");
  first.put_meta("b", "1");
  second.put_meta("b", "2");  // after first's: the later put wins
  second.put_meta("c", "2");
  const size_t bytes = first.byte_size() + second.byte_size();
  first.append(std::move(second));
  BOOST_TEST(first.count() == 4u);
  BOOST_TEST(first.byte_size() == bytes);
  BOOST_TEST(second.empty());
  write(std::move(first));
  reopen();
  BOOST_TEST(**store->get_meta("a") == "1");
  BOOST_TEST(**store->get_meta("b") == "2");
  BOOST_TEST(**store->get_meta("c") == "2");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::storage::test
