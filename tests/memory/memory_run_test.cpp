// Bounded memory with many idle workflows on disk (docs/benchmarks.md,
// "Bounded memory"): seed N workflows straight into a data dir, start the
// real server on it, touch K of them at random (a read and a signal each),
// and watch the server's resident memory: after start-up, at its peak while
// touching, and once the touched workflow actors have been passivated. A
// second round touches K others: memory freed by passivation is reused, so
// the peak hardly moves, where a leak would add the first round's again.
//
// Not a timing test: it fails only if the server's peak RSS passes a
// generous bound (a leak, or memory that grows with the data on disk rather
// than with the work in hand), a touch fails, or actors are never passivated.
//
// Sizes come from the environment, so the same test is the CI run and the
// full measurement:
//   BACKBEAT_MEMORY_WORKFLOWS (default 50000)   workflows seeded
//   BACKBEAT_MEMORY_TOUCH     (default 10000)   workflows touched per round
//   BACKBEAT_MEMORY_ROUNDS    (default 2)
//   BACKBEAT_MEMORY_PASSIVATE_S (default 5)     actors.passivate_after_s
//   BACKBEAT_MEMORY_LIMIT_MB  (default 1024)    the bound on peak RSS
#include <boost/test/unit_test.hpp>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <numeric>
#include <random>
#include <sstream>
#include <thread>

#include "net/http_server.hpp"
#include "tests/bench/machine.hpp"
#include "tests/memory/touch_driver.hpp"
#include "tests/seed/seeder.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::memory {
namespace {

using namespace std::chrono_literals;

uint64_t env_or(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  return std::strtoull(v, nullptr, 10);
}

double mb(long kb) { return double(kb) / 1024.0; }

// The seeded user's endpoints: answers every callback 200 at once and counts
// them by path.
class CallbackSink {
 public:
  CallbackSink()
      : server_(net::HttpServerOptions{}, [this](net::HttpRequest&& r, net::Responder respond) {
          (r.path() == "/decision" ? decisions_ : others_)++;
          respond(net::HttpResponse{200, "application/json", "{}", {}});
        }) {
    auto port = server_.start();
    BOOST_REQUIRE_MESSAGE(port, "callback sink cannot listen");
    base_ = "http://127.0.0.1:" + std::to_string(*port);
  }
  const std::string& base() const { return base_; }
  uint64_t decisions() const { return decisions_; }

 private:
  std::atomic<uint64_t> decisions_{0};
  std::atomic<uint64_t> others_{0};
  std::string base_;
  net::HttpServer server_;  // last: its thread calls into the members above
};

// K distinct indices out of [0, n), the same ones every run.
std::vector<uint64_t> pick(uint64_t n, uint64_t k) {
  std::vector<uint64_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  std::mt19937_64 rng(20261124);
  k = std::min(k, n);
  for (uint64_t i = 0; i < k; ++i) {
    std::uniform_int_distribution<uint64_t> d(i, n - 1);
    std::swap(all[i], all[d(rng)]);
  }
  all.resize(k);
  return all;
}

// One series from the server's /metrics, or -1.
double metric(uint16_t port, const std::string& name) {
  auto r = test::http_request("127.0.0.1", port, "GET", "/metrics");
  std::istringstream lines(r.body);
  std::string line;
  while (std::getline(lines, line))
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  return -1;
}

uint64_t dir_bytes(const std::filesystem::path& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  return total;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bounded_memory)

BOOST_AUTO_TEST_CASE(memory_run) {
  const uint64_t n = env_or("BACKBEAT_MEMORY_WORKFLOWS", 50000);
  const uint64_t k = env_or("BACKBEAT_MEMORY_TOUCH", 10000);
  const uint64_t rounds = std::max<uint64_t>(1, env_or("BACKBEAT_MEMORY_ROUNDS", 2));
  const uint64_t passivate_s = env_or("BACKBEAT_MEMORY_PASSIVATE_S", 5);
  const uint64_t limit_mb = env_or("BACKBEAT_MEMORY_LIMIT_MB", 1024);
  test::TempDir dir("backbeat-memory");
  CallbackSink sink;

  seed::SeedOptions so;
  so.data_dir = (dir.path() / "data").string();
  so.workflows = n;
  so.endpoint_base = sink.base();
  auto seeded = seed::seed_idle_workflows(so);
  BOOST_REQUIRE_MESSAGE(seeded.ok(), (seeded.ok() ? std::string() : seeded.error().message));
  const double data_mb = double(dir_bytes(dir.path() / "data")) / (1 << 20);

  const std::string config = (dir.path() / "memory.conf").string();
  std::ofstream(config) << "[actors]\npassivate_after_s = " << passivate_s << "\n";
  test::ServerProcessOptions po;
  po.args = {"serve", "--http-port", "0", "--data-dir", so.data_dir, "--config", config};
  po.env = {{"BACKBEAT_ADMIN_TOKEN", "memory-run-admin-token"}};
  po.log_dir = dir.path();
  po.name = "backbeat-memory";
  test::ServerProcess server(po);
  const auto boot = std::chrono::steady_clock::now();
  BOOST_REQUIRE_MESSAGE(server.start(60s), "server did not start:\n" + server.log());
  const double boot_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - boot).count();
  std::this_thread::sleep_for(2s);  // start-up scans (timers, outbox, in-flight) have run
  const auto after_start = bench::sample_process(server.pid());
  BOOST_REQUIRE(after_start);

  std::ostringstream figures;
  figures.setf(std::ios::fixed);
  figures.precision(1);
  figures << "memory_run: " << n << " workflows seeded in " << seeded->seconds << " s ("
          << seeded->waiting << " waiting at the client, data dir " << data_mb << " MB); start-up "
          << boot_s << " s\n"
          << "  RSS after start:          " << mb(after_start->rss_kb) << " MB\n";

  const std::vector<uint64_t> picked = pick(n, k * rounds);
  uint64_t finished_touched = 0;  // so far, over every round
  long peak_kb = 0;
  for (uint64_t round = 0; round < rounds; ++round) {
    TouchPlan plan;
    plan.base_url = "http://127.0.0.1:" + std::to_string(server.port());
    plan.user_id = seeded->user_id.str();
    plan.token = so.auth_token;
    for (size_t j = round * k; j < std::min<size_t>(picked.size(), (round + 1) * k); ++j) {
      plan.workflows.push_back(seed::workflow_id(seeded->user_id, picked[j]));
      finished_touched += !seed::is_waiting(picked[j]);
    }
    const TouchResult touched = touch(plan);
    const double actors_after_touch = metric(server.port(), "backbeat_workflow_actors");
    BOOST_TEST(touched.failures == 0u, touched.first_failure);
    BOOST_TEST(touched.reads_ok == plan.workflows.size());
    BOOST_TEST(touched.signals_ok == plan.workflows.size());
    // A finished workflow sends the new signal out at once; a waiting one
    // holds it behind the node still at the client.
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    while (sink.decisions() < finished_touched && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(100ms);
    BOOST_TEST(sink.decisions() >= finished_touched);
    const auto peak = bench::sample_process(server.pid());
    BOOST_REQUIRE(peak);
    peak_kb = peak->peak_rss_kb;

    // Every touched actor leaves memory once idle.
    const auto wait_until =
        std::chrono::steady_clock::now() + std::chrono::seconds(passivate_s + 120);
    double live = -1;
    while ((live = metric(server.port(), "backbeat_workflow_actors")) != 0 &&
           std::chrono::steady_clock::now() < wait_until)
      std::this_thread::sleep_for(500ms);
    BOOST_TEST(live == 0);
    // Time for the memory trimmer's next look (actors/memory_trimmer.hpp).
    std::this_thread::sleep_for(7s);
    const auto passivated = bench::sample_process(server.pid());
    BOOST_REQUIRE(passivated);
    figures << "  round " << round + 1 << ": touched " << plan.workflows.size()
            << " (GET + signal each) in " << touched.seconds << " s, " << actors_after_touch
            << " actors live at the end\n"
            << "    peak RSS (VmHWM):       " << mb(peak->peak_rss_kb) << " MB\n"
            << "    RSS after passivation:  " << mb(passivated->rss_kb) << " MB (live actors " << live
            << ")\n";
  }
  figures << "  machine: " << bench::machine_info().cores << " cores, "
          << bench::machine_info().cpu_model << ", load " << bench::load_average_1m() << "\n";
  std::cout << figures.str() << std::flush;
  BOOST_TEST_MESSAGE(figures.str());
  BOOST_TEST(mb(peak_kb) < double(limit_mb), figures.str());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::memory
