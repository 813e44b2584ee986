#pragma once
// A Store in a fresh temporary directory, reopenable to prove durability.
#include <boost/test/unit_test.hpp>

#include <memory>

#include "storage/store.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::storage::test {

struct StoreFixture {
  backbeat::test::TempDir dir{"backbeat-storage"};
  std::unique_ptr<Store> store = open_store();

  std::unique_ptr<Store> open_store() {
    auto opened = Store::open(dir.str());
    BOOST_TEST_REQUIRE(opened.ok(), (opened.ok() ? "" : opened.error().message));
    return std::move(opened).value();
  }

  void reopen() {
    store.reset();  // RocksDB allows one open handle per directory
    store = open_store();
  }

  void write(WriteSet ws) {
    auto status = store->write(std::move(ws), true);
    BOOST_TEST_REQUIRE(status.ok(), (status.ok() ? "" : status.error().message));
  }

  // Unwraps a read that must succeed.
  template <class T>
  T must(Result<T> r) {
    BOOST_TEST_REQUIRE(r.ok(), (r.ok() ? "" : r.error().message));
    return std::move(r).value();
  }
};

}  // namespace backbeat::storage::test
