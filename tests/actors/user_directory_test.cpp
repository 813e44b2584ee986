// Registering a user, the one way the API and the cluster both use: durable
// before visible, names unique, and a newer version that arrives while the
// first is still being written kept rather than refused for its own name
// (before, a token rotated on another member at once was dropped here, and
// the old token kept working on this member).
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>

#include "actors/user_directory.hpp"
#include "storage/errors.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::actors::test {
namespace {

// A store behind a committer whose writes can be held back or failed.
struct UsersOnDisk {
  backbeat::test::TempDir dir{"backbeat-users"};
  std::unique_ptr<storage::Store> store = std::move(storage::Store::open(dir.str())).value();
  std::mutex mu;
  std::condition_variable opened;
  bool held = false;
  std::atomic<bool> failing{false};
  storage::GroupCommitter committer{[this](std::span<const storage::WriteSet> sets) -> Status {
    std::unique_lock lock(mu);
    opened.wait(lock, [this] { return !held; });
    if (failing) return storage::storage_error("disk full");
    return store->write(sets, true);
  }};
  UserDirectory users;

  void hold() {
    std::lock_guard lock(mu);
    held = true;
  }
  void release() {
    {
      std::lock_guard lock(mu);
      held = false;
    }
    opened.notify_all();
  }
  // Starts a create; the future is its outcome.
  std::future<Status> create(const User& u) {
    auto done = std::make_shared<std::promise<Status>>();
    users.create(committer, u, [done](Status s) { done->set_value(std::move(s)); });
    return done->get_future();
  }
  std::optional<User> reloaded(const Uuid& id) {
    UserDirectory fresh;
    BOOST_REQUIRE(fresh.load(*store).ok());
    return fresh.find(id);
  }
};

User sample(uint64_t n, std::string name, uint64_t version = 1) {
  User u;
  u.id = Uuid{n, n};
  u.name = std::move(name);
  u.token_key = "key-v" + std::to_string(version);
  u.version = version;
  return u;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(user_directory)

BOOST_AUTO_TEST_CASE(a_user_is_visible_once_durable_and_names_stay_unique) {
  UsersOnDisk d;
  d.hold();
  auto made = d.create(sample(1, "billing"));
  BOOST_TEST(!d.users.find(Uuid{1, 1}));  // not yet on disk
  d.release();
  BOOST_TEST(made.get().ok());
  BOOST_TEST(d.users.find(Uuid{1, 1}).has_value());
  BOOST_TEST(d.reloaded(Uuid{1, 1}).has_value());

  const Status again = d.create(sample(2, "billing")).get();
  BOOST_REQUIRE(!again.ok());
  BOOST_TEST(backbeat::test::error_class(again.error()) == "Backbeat::DuplicateUser");
  BOOST_TEST(!d.reloaded(Uuid{2, 2}));
}

BOOST_AUTO_TEST_CASE(a_newer_version_arriving_during_the_first_write_is_kept) {
  UsersOnDisk d;
  d.hold();
  auto first = d.create(sample(1, "billing", 1));
  auto rotated = d.create(sample(1, "billing", 2));  // the same user, its token rotated
  auto stale = d.create(sample(1, "billing", 1));    // a repeat of the first
  d.release();
  BOOST_TEST(first.get().ok());
  BOOST_TEST(rotated.get().ok());
  BOOST_TEST(stale.get().ok());
  BOOST_REQUIRE(d.users.find(Uuid{1, 1}).has_value());
  BOOST_TEST(d.users.find(Uuid{1, 1})->token_key == "key-v2");
  BOOST_TEST(d.reloaded(Uuid{1, 1})->token_key == "key-v2");
}

BOOST_AUTO_TEST_CASE(a_failed_write_frees_the_name) {
  UsersOnDisk d;
  d.failing = true;
  BOOST_TEST(!d.create(sample(1, "billing")).get().ok());
  BOOST_TEST(!d.users.find(Uuid{1, 1}));
  d.failing = false;
  BOOST_TEST(d.create(sample(2, "billing")).get().ok());
  BOOST_TEST(d.users.find(Uuid{2, 2}).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::actors::test
