#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "storage/group_commit.hpp"
#include "tests/storage/samples.hpp"
#include "tests/storage/store_fixture.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::storage::test {
namespace {

// Records the order in which callbacks ran and what they were told.
struct Journal {
  std::mutex mu;
  std::vector<int> order;
  std::vector<bool> ok;

  GroupCommitter::Callback entry(int tag) {
    return [this, tag](const Status& s) {
      std::lock_guard lock(mu);
      order.push_back(tag);
      ok.push_back(s.ok());
    };
  }
  bool all_ok() {
    std::lock_guard lock(mu);
    return std::all_of(ok.begin(), ok.end(), [](bool b) { return b; });
  }
};

WriteSet outbox_write(uint64_t hi, uint64_t lo) {
  WriteSet ws;
  ws.put_outbox(sample_outbox(id(hi, lo)));
  return ws;
}

std::vector<int> iota(int n) {
  std::vector<int> v(n);
  for (int i = 0; i < n; ++i) v[i] = i;
  return v;
}

// A sink that holds its first write until released, so the test decides
// exactly what queues up behind it.
struct GatedSink {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};
  std::vector<size_t> group_sizes;  // only touched by the committer thread

  GroupCommitter::Sink sink() {
    return [this](std::span<const WriteSet> sets) -> Status {
      group_sizes.push_back(sets.size());
      if (calls++ == 0) {
        entered.set_value();
        released.wait();
      }
      return ok_status();
    };
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(group_commit, StoreFixture)

BOOST_AUTO_TEST_CASE(concurrent_submitters_share_fsyncs_and_keep_their_order) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 500;
  std::vector<std::vector<int>> seen(kThreads);  // per thread, guarded by `mu`
  std::mutex mu;
  std::atomic<int> failures{0};
  {
    GroupCommitter committer(*store);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          committer.submit(outbox_write(t + 1, i), [&, t, i](const Status& s) {
            if (!s.ok()) ++failures;
            std::lock_guard lock(mu);
            seen[t].push_back(i);
          });
        }
      });
    }
    for (auto& th : threads) th.join();
    committer.stop();
    auto stats = committer.stats();
    BOOST_TEST(stats.batches == uint64_t(kThreads * kPerThread));
    BOOST_TEST(stats.groups < stats.batches);
    BOOST_TEST(stats.max_group > 1u);
  }
  BOOST_TEST(failures == 0);
  for (int t = 0; t < kThreads; ++t) {
    BOOST_TEST(seen[t] == iota(kPerThread), boost::test_tools::per_element());
  }
  reopen();
  BOOST_TEST(must(store->load_outbox()).size() == size_t(kThreads * kPerThread));
}

BOOST_AUTO_TEST_CASE(barriers_complete_in_order_after_what_came_before) {
  Journal journal;
  GroupCommitter committer(*store);
  for (int i = 0; i < 100; ++i) {
    committer.submit(i % 10 == 9 ? WriteSet{} : outbox_write(1, i), journal.entry(i));
  }
  std::promise<size_t> visible;
  committer.submit(WriteSet{}, [&](const Status&) {
    // Everything submitted before the barrier is readable once it fires.
    auto outbox = store->load_outbox();
    visible.set_value(outbox.ok() ? outbox->size() : 0);
  });
  BOOST_TEST(visible.get_future().get() == 90u);
  committer.stop();
  BOOST_TEST(journal.order == iota(100), boost::test_tools::per_element());
  BOOST_TEST(journal.all_ok());
}

BOOST_AUTO_TEST_CASE(stop_drains_everything_already_submitted) {
  Journal journal;
  GroupCommitter committer(*store);
  for (int i = 0; i < 300; ++i) committer.submit(outbox_write(2, i), journal.entry(i));
  committer.stop();
  committer.stop();  // idempotent
  BOOST_TEST(journal.order == iota(300), boost::test_tools::per_element());
  BOOST_TEST(journal.all_ok());
  BOOST_TEST(must(store->load_outbox()).size() == 300u);
}

BOOST_AUTO_TEST_CASE(submissions_after_stop_are_refused_not_dropped) {
  GroupCommitter committer(*store);
  committer.stop();
  std::optional<Error> error;
  committer.submit(outbox_write(3, 1), [&](const Status& s) {
    if (!s.ok()) error = s.error();
  });
  BOOST_TEST_REQUIRE(error.has_value());
  BOOST_TEST(backbeat::test::http_status(*error) == 503);
  BOOST_TEST(must(store->load_outbox()).empty());
}

BOOST_AUTO_TEST_CASE(a_failed_write_reaches_every_callback_in_the_group) {
  Journal journal;
  int writes = 0;
  GroupCommitter committer([&](std::span<const WriteSet>) -> Status {
    ++writes;
    return make_error(Error::Kind::storage, "disk on fire");
  });
  for (int i = 0; i < 50; ++i) committer.submit(outbox_write(4, i), journal.entry(i));
  committer.stop();
  BOOST_TEST(journal.order == iota(50), boost::test_tools::per_element());
  BOOST_TEST(std::none_of(journal.ok.begin(), journal.ok.end(), [](bool b) { return b; }));
  BOOST_TEST(writes >= 1);
}

BOOST_AUTO_TEST_CASE(queued_sets_merge_into_capped_groups) {
  GatedSink gate;
  Journal journal;
  GroupCommitter committer(gate.sink(), GroupCommitOptions{4, size_t{4} << 20});
  committer.submit(outbox_write(5, 0), journal.entry(0));
  gate.entered.get_future().wait();  // the committer is now busy with set 0
  for (int i = 1; i < 10; ++i) committer.submit(outbox_write(5, i), journal.entry(i));
  committer.submit(WriteSet{}, journal.entry(10));  // barrier: adds no set
  gate.release.set_value();
  committer.stop();
  BOOST_TEST(gate.group_sizes == (std::vector<size_t>{1, 4, 4, 1}), boost::test_tools::per_element());
  auto stats = committer.stats();
  BOOST_TEST(stats.groups == 4u);
  BOOST_TEST(stats.batches == 11u);
  BOOST_TEST(stats.max_group == 4u);
  BOOST_TEST(journal.order == iota(11), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(byte_cap_splits_groups_but_admits_an_oversized_set) {
  GatedSink gate;
  GroupCommitter committer(gate.sink(), GroupCommitOptions{1024, 1});
  committer.submit(outbox_write(6, 0), [](const Status&) {});
  gate.entered.get_future().wait();
  for (int i = 1; i < 4; ++i) committer.submit(outbox_write(6, i), [](const Status&) {});
  gate.release.set_value();
  committer.stop();
  BOOST_TEST(gate.group_sizes == (std::vector<size_t>{1, 1, 1, 1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::storage::test
