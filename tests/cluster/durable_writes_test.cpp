// The agent's writes through the group committer (durable_writes.hpp): the
// continuation runs once the write is on disk, and nothing else the actor
// would handle runs before it.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "runtime/cluster/durable_writes.hpp"
#include "storage/store.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::cluster {
namespace {

using namespace std::chrono_literals;
using Seen = std::promise<std::vector<std::string>>;

// Writes meta k=v, and meanwhile sends itself `next`; records, in order, what
// the continuation found on disk and when `next` was handled.
caf::behavior writer_user(caf::event_based_actor* self, storage::GroupCommitter* committer,
                          const storage::Store* store, Seen* seen) {
  auto log = std::make_shared<std::vector<std::string>>();
  caf::actor writer = spawn_durable_writer(self, committer);
  return {
      [=](caf::ok_atom) {
        storage::WriteSet writes;
        writes.put_meta("k", "v");
        write_durably(self, writer, std::move(writes), [=](const std::string& why) {
          bool on_disk = false;
          if (store) {
            auto value = store->get_meta("k");
            on_disk = value.ok() && *value && **value == "v";
          }
          log->push_back("written '" + why + "' " + (on_disk ? "on disk" : "not on disk"));
        });
        self->send(self, caf::get_atom::value);
      },
      [=](caf::get_atom) {
        log->push_back("next");
        seen->set_value(*log);
        self->quit();
      },
  };
}

std::vector<std::string> run(storage::GroupCommitter& committer, const storage::Store* store) {
  caf::actor_system_config cfg;
  caf::actor_system system{cfg};
  Seen seen;
  auto result = seen.get_future();
  auto actor = system.spawn(writer_user, &committer, store, &seen);
  caf::anon_send(actor, caf::ok_atom::value);
  BOOST_REQUIRE(result.wait_for(10s) == std::future_status::ready);
  return result.get();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(durable_writes)

BOOST_AUTO_TEST_CASE(the_continuation_sees_the_write_on_disk_before_any_other_message) {
  backbeat::test::TempDir dir{"backbeat-durable"};
  auto store = storage::Store::open(dir.str());
  BOOST_REQUIRE(store.ok());
  storage::GroupCommitter committer(**store);
  const auto seen = run(committer, store->get());
  BOOST_TEST((seen == std::vector<std::string>{"written '' on disk", "next"}));
}

BOOST_AUTO_TEST_CASE(a_failed_write_says_why_and_still_comes_first) {
  storage::GroupCommitter committer([](std::span<const storage::WriteSet>) -> Status {
    return make_error(Error::Kind::storage, "disk on fire");
  });
  const auto seen = run(committer, nullptr);
  BOOST_TEST((seen == std::vector<std::string>{"written 'disk on fire' not on disk", "next"}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::cluster
