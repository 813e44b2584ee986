// The read pool (actors/api/read_pool.hpp): keys served in turn, one key
// never on every thread, a bounded queue per key, and every job called
// exactly once, run or abandoned.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "actors/api/read_pool.hpp"

namespace backbeat::actors::api {
namespace {

using namespace std::chrono_literals;

const Uuid kA{1, 1};
const Uuid kB{2, 2};
const Uuid kC{3, 3};

// A job that holds its thread until released.
struct Gate {
  std::promise<void> opened;
  std::shared_future<void> open = opened.get_future().share();
  std::promise<void> entered;

  // Submits the job as `key`'s and returns once it holds a thread.
  void occupy(ReadPool& pool, const Uuid& key) {
    BOOST_TEST_REQUIRE(pool.submit(key, [this](bool run) {
      if (!run) return;
      entered.set_value();
      open.wait();
    }));
    BOOST_TEST_REQUIRE((entered.get_future().wait_for(5s) == std::future_status::ready));
  }
};

// What ran, in order.
struct Trail {
  std::mutex mu;
  std::vector<std::string> ran;
  std::vector<std::string> abandoned;

  ReadPool::Job job(std::string name, std::promise<void>* done = nullptr) {
    return [this, name, done](bool run) {
      {
        std::lock_guard lock(mu);
        (run ? ran : abandoned).push_back(name);
      }
      if (done) done->set_value();
    };
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(read_pool)

BOOST_AUTO_TEST_CASE(a_key_with_reads_queued_leaves_a_thread_for_the_others) {
  ReadPool pool({2, 32});
  Gate slow;
  slow.occupy(pool, kA);
  Trail trail;
  for (int i = 0; i < 5; ++i) BOOST_TEST(pool.submit(kA, trail.job("a")));
  std::promise<void> b_done;
  BOOST_TEST(pool.submit(kB, trail.job("b", &b_done)));
  // B runs on the second thread while A's first read still holds the other;
  // A's next ones wait for A's own.
  BOOST_TEST_REQUIRE((b_done.get_future().wait_for(5s) == std::future_status::ready));
  {
    std::lock_guard lock(trail.mu);
    BOOST_TEST((trail.ran == std::vector<std::string>{"b"}));
  }
  BOOST_TEST(pool.waiting() == 5u);
  slow.opened.set_value();
  pool.stop();
  BOOST_TEST(trail.ran.size() + trail.abandoned.size() == 6u);
}

BOOST_AUTO_TEST_CASE(keys_take_turns) {
  ReadPool pool({1, 32});
  Gate first;
  first.occupy(pool, kC);
  Trail trail;
  std::promise<void> last;
  for (const char* name : {"a1", "a2", "a3"}) pool.submit(kA, trail.job(name));
  pool.submit(kB, trail.job("b1"));
  pool.submit(kC, trail.job("c1"));
  pool.submit(kA, trail.job("a4", &last));
  first.opened.set_value();
  BOOST_TEST_REQUIRE((last.get_future().wait_for(5s) == std::future_status::ready));
  std::lock_guard lock(trail.mu);
  BOOST_TEST((trail.ran == std::vector<std::string>{"a1", "b1", "c1", "a2", "a3", "a4"}));
}

BOOST_AUTO_TEST_CASE(a_full_queue_refuses_only_its_own_key) {
  ReadPool pool({1, 2});
  Gate busy;
  busy.occupy(pool, kC);
  Trail trail;
  BOOST_TEST(pool.submit(kA, trail.job("a1")));
  BOOST_TEST(pool.submit(kA, trail.job("a2")));
  BOOST_TEST(!pool.submit(kA, trail.job("a3")));
  BOOST_TEST(pool.submit(kB, trail.job("b1")));
  busy.opened.set_value();
  pool.stop();
  BOOST_TEST(pool.waiting() == 0u);
  BOOST_TEST(!pool.submit(kB, trail.job("late")));
  // Each job taken was called once: a3 and late were never taken.
  BOOST_TEST(trail.ran.size() + trail.abandoned.size() == 3u);
}

BOOST_AUTO_TEST_CASE(stopping_abandons_what_waits_and_lets_what_runs_finish) {
  Trail trail;
  Gate running;
  auto pool = std::make_unique<ReadPool>(ReadPoolOptions{1, 8});
  running.occupy(*pool, kA);
  pool->submit(kB, trail.job("b1"));
  pool->submit(kB, trail.job("b2"));
  auto stopped = std::async(std::launch::async, [&] { pool->stop(); });
  // stop() waits for the running read.
  BOOST_TEST((stopped.wait_for(100ms) == std::future_status::timeout));
  running.opened.set_value();
  BOOST_TEST_REQUIRE((stopped.wait_for(5s) == std::future_status::ready));
  BOOST_TEST(trail.ran.empty());
  BOOST_TEST((trail.abandoned == std::vector<std::string>{"b1", "b2"}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::actors::api
