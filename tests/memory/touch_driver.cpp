#include "tests/memory/touch_driver.hpp"

#include <condition_variable>
#include <mutex>

#include "net/http_client.hpp"

namespace backbeat::memory {
namespace {

// Counts calls in flight and lets the driver wait for room or for the end.
class Window {
 public:
  explicit Window(size_t size) : size_(size) {}
  void acquire() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return used_ < size_; });
    ++used_;
  }
  void release() {
    std::lock_guard lock(mu_);
    --used_;
    changed_.notify_all();
  }
  void drain() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return used_ == 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  size_t size_;
  size_t used_ = 0;
};

}  // namespace

TouchResult touch(const TouchPlan& plan) {
  const auto started = std::chrono::steady_clock::now();
  net::HttpClient http(net::HttpClientOptions{long(plan.window), long(plan.window)});
  Window window(plan.window);
  std::mutex mu;
  TouchResult result;
  const std::vector<std::string> identity = {
      "Client-Id: " + plan.user_id, "Authorization: Token token=\"" + plan.token + "\""};
  auto send = [&](const char* method, std::string path, std::string body, int want,
                  uint64_t TouchResult::*ok) {
    net::HttpCall call;
    call.method = method;
    call.url = plan.base_url + path;
    call.body = std::move(body);
    call.headers = identity;
    call.timeout = std::chrono::seconds(60);
    window.acquire();
    http.send(std::move(call), [&, want, ok, path](net::HttpResult r) {
      {
        std::lock_guard lock(mu);
        if (r.transport_ok && r.status == want) {
          ++(result.*ok);
        } else {
          if (result.failures++ == 0)
            result.first_failure = path + ": " + (r.transport_ok ? std::to_string(r.status) + " " + r.body : r.error);
        }
      }
      window.release();
    });
  };
  for (const Uuid& wf : plan.workflows) {
    const std::string path = "/workflows/" + wf.str();
    send("GET", path, "", 200, &TouchResult::reads_ok);
    send("POST", path + "/signal/touch", "{}", 201, &TouchResult::signals_ok);
  }
  window.drain();
  http.stop();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace backbeat::memory
