#include "tests/crash/crash_run.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace backbeat::crash {
namespace {

// Long enough to cover any restart; a call still unanswered after this is a
// failure of the run, not something to wait out.
constexpr auto kGiveUpAfter = std::chrono::seconds(60);

}  // namespace

uint64_t run_seed() {
  if (const char* s = std::getenv("BACKBEAT_CRASH_SEED")) return std::strtoull(s, nullptr, 10);
  return std::random_device{}() ^ (uint64_t(std::random_device{}()) << 32);
}

int env_int(const char* name, int fallback) {
  const char* s = std::getenv(name);
  return s && *s ? std::atoi(s) : fallback;
}

void report_and_check(const char* name, uint64_t seed, const Figures& f, double seconds) {
  std::cout << name << " summary: seed=" << seed << " " << f.summary() << " time_s=" << seconds
            << std::endl;
  size_t shown = 0;
  for (const std::string& p : f.problems) {
    if (++shown > 25) {
      std::cout << "  ... and " << f.problems.size() - 25 << " more" << std::endl;
      break;
    }
    std::cout << "  problem: " << p << std::endl;
  }
  BOOST_TEST(f.lost == 0u);
  BOOST_TEST(f.incomplete == 0u);
  BOOST_TEST(f.problems.empty(), "replay with BACKBEAT_CRASH_SEED=" << seed);
  BOOST_TEST(f.workflows > 0u);
}

CrashRun::CrashRun(uint64_t seed, int concurrency, std::string config)
    : seed_(seed), concurrency_(concurrency), server_(std::move(config)), api_(server_, kGiveUpAfter) {}

CrashRun::~CrashRun() {
  // A failed test may leave the server down: nobody waits for it.
  api_.abandon();
  load_.reset();
  client_.reset();
}

void CrashRun::begin() {
  BOOST_REQUIRE_MESSAGE(server_.start(), "backbeat did not start:\n" + server_.log_tail());
  client_ = std::make_unique<CrashClient>(api_, ledger_, server_);
  const Reply user = api_.create_user("crash-client", client_->base_url());
  const auto body = user.json();
  BOOST_REQUIRE_MESSAGE(user.status == 201 && body.is_object() && body.contains("authToken"),
                        "user creation: " + std::to_string(user.status) + " " + user.body);
  api_.act_as(user.id(), body["authToken"].get<std::string>());
  load_ = std::make_unique<LoadDriver>(api_, ledger_, seed_, concurrency_);
  load_->start();
}

void CrashRun::kill_and_restart(std::mt19937_64& rng, std::chrono::milliseconds max_pause) {
  ledger_.add_kill(wall_now_ms());
  server_.kill();
  ++kills_;
  std::this_thread::sleep_for(std::chrono::milliseconds(
      std::uniform_int_distribution<int64_t>(0, max_pause.count())(rng)));
  BOOST_REQUIRE_MESSAGE(server_.start(), "backbeat did not come back after kill " +
                                             std::to_string(kills_) + ":\n" + server_.log_tail());
}

Figures CrashRun::finish(std::chrono::seconds settle) {
  load_->stop_starting();
  std::string why;
  const bool settled = wait_until_settled(api_, ledger_, *client_, settle, why);
  BOOST_TEST(settled, why);
  std::vector<std::string> ids;
  for (const auto& [number, w] : ledger_.workflows())
    if (!w.id.empty()) ids.push_back(w.id);
  const auto server_view = read_everything(api_, ids, 4);
  client_->stop();  // every handler has finished: the ledger is complete
  return check_against_ledger(ledger_, server_view);
}

}  // namespace backbeat::crash
