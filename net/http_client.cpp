#include "net/http_client.hpp"

#include "net/internal_address.hpp"

#include <curl/curl.h>
#include <strings.h>

#include <algorithm>
#include <cstdio>
#include <atomic>
#include <deque>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace backbeat::net {
namespace {

constexpr size_t kMaxResponseBody = 1 << 20;
// curl_multi_poll returns earlier for curl's own timers and for wakeups; this
// only bounds how long a missed wakeup could go unnoticed.
constexpr int kMaxPollMs = 1000;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Also matches curl's "Name;" spelling, which sends the header empty.
bool names_header(std::string_view line, std::string_view name) {
  return line.size() > name.size() && strncasecmp(line.data(), name.data(), name.size()) == 0 &&
         (line[name.size()] == ':' || line[name.size()] == ';');
}

bool has_header(const std::vector<std::string>& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const std::string& h) { return names_header(h, name); });
}

HttpResult failure(std::string error) {
  HttpResult r;
  r.error = std::move(error);
  return r;
}

struct Transfer {
  Transfer(HttpCall c, std::function<void(HttpResult)> d) : call(std::move(c)), done(std::move(d)) {}
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;
  // The owner removes `easy` from the multi handle first.
  ~Transfer() {
    if (headers) curl_slist_free_all(headers);
    if (easy) curl_easy_cleanup(easy);
  }

  HttpCall call;
  std::function<void(HttpResult)> done;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string body;
  char error[CURL_ERROR_SIZE] = {};
  char refused[96] = {};  // set by check_peer: why the call never left
};

size_t append_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  size_t room = kMaxResponseBody - std::min(kMaxResponseBody, t->body.size());
  t->body.append(data, std::min(bytes, room));
  // Keep reading past the cap: aborting would lose the status, which is what
  // a callback is about.
  return bytes;
}

// CURLOPT_PREREQFUNCTION: runs once the connection to use is known, before
// anything is sent on it.
int check_peer(void* user, char* peer_ip, char*, int, int) {
  auto* t = static_cast<Transfer*>(user);
  if (!is_internal_address(peer_ip)) return CURL_PREREQFUNC_OK;
  std::snprintf(t->refused, sizeof t->refused, "refused to call internal address %s", peer_ip);
  return CURL_PREREQFUNC_ABORT;
}

bool sends_body(const HttpCall& call) {
  return !call.body.empty() || (call.method != "GET" && call.method != "HEAD");
}

// Returns an error text, empty on success.
std::string configure(Transfer& t) {
  const HttpCall& call = t.call;
  for (const auto& h : call.headers)
    if (h.find_first_of("\r\n") != std::string::npos) return "header contains a line break";

  CURLcode rc = CURLE_OK;
  auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(t.easy, option, value);
  };
  set(CURLOPT_URL, call.url.c_str());
  set(CURLOPT_PRIVATE, static_cast<void*>(&t));
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(call.connect_timeout.count()));
  set(CURLOPT_TIMEOUT_MS, static_cast<long>(call.timeout.count()));
  set(CURLOPT_FOLLOWLOCATION, 0L);
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_USERAGENT, "backbeat");
  set(CURLOPT_WRITEFUNCTION, &append_body);
  set(CURLOPT_WRITEDATA, static_cast<void*>(&t));
  set(CURLOPT_ERRORBUFFER, t.error);
  if (call.refuse_internal_peers) {
    set(CURLOPT_PREREQFUNCTION, &check_peer);
    set(CURLOPT_PREREQDATA, static_cast<void*>(&t));
  }
  if (call.method == "GET" && call.body.empty()) {
    set(CURLOPT_HTTPGET, 1L);
  } else if (call.method == "HEAD") {
    set(CURLOPT_NOBODY, 1L);
  } else {
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
    set(CURLOPT_POSTFIELDS, call.body.data());
    if (call.method != "POST") set(CURLOPT_CUSTOMREQUEST, call.method.c_str());
  }
  if (rc != CURLE_OK) return curl_easy_strerror(rc);

  std::vector<std::string> headers = call.headers;
  if (sends_body(call) && !has_header(headers, "Content-Type"))
    headers.emplace_back("Content-Type: application/json");
  if (!has_header(headers, "Expect")) headers.emplace_back("Expect:");
  for (const auto& h : headers) {
    curl_slist* next = curl_slist_append(t.headers, h.c_str());
    if (!next) return "out of memory";
    t.headers = next;
  }
  set(CURLOPT_HTTPHEADER, t.headers);
  return rc == CURLE_OK ? std::string() : curl_easy_strerror(rc);
}

}  // namespace

class HttpClient::Impl {
 public:
  explicit Impl(const HttpClientOptions& options) {
    init_curl_once();
    multi_ = curl_multi_init();
    if (!multi_) return;
    curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, options.max_total_connections);
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_host_connections);
    // The default cache keeps 4 idle connections per running transfer, so a
    // quiet moment would close the pool we want to reuse.
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, options.max_total_connections);
    try {
      thread_ = std::thread([this] { run(); });
    } catch (...) {
      curl_multi_cleanup(multi_);
      multi_ = nullptr;
    }
  }

  ~Impl() {
    stop();
    if (multi_) curl_multi_cleanup(multi_);
  }

  void send(HttpCall call, std::function<void(HttpResult)> done) {
    std::unique_ptr<Transfer> t;
    try {
      t = std::make_unique<Transfer>(std::move(call), std::move(done));
    } catch (...) {
      return;  // out of memory; nothing sensible left to call
    }
    ++in_flight_;
    bool accepted = false;
    {
      std::lock_guard lock(mu_);
      if (multi_ && !stopping_) {
        queue_.push_back(std::move(t));
        accepted = true;
      }
    }
    if (!accepted) return finish(*t, failure(multi_ ? "client stopped" : "curl_multi_init failed"));
    curl_multi_wakeup(multi_);
  }

  void stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    if (multi_) curl_multi_wakeup(multi_);
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }

  size_t in_flight() const { return in_flight_.load(); }

 private:
  using Active = std::unordered_map<CURL*, std::unique_ptr<Transfer>>;

  void run() {
    Active active;
    for (;;) {
      std::deque<std::unique_ptr<Transfer>> incoming;
      {
        std::lock_guard lock(mu_);
        if (stopping_) break;
        incoming.swap(queue_);
      }
      for (auto& t : incoming) begin(std::move(t), active);
      int running = 0;
      curl_multi_perform(multi_, &running);
      collect(active);
      curl_multi_poll(multi_, nullptr, 0, kMaxPollMs, nullptr);
    }
    for (auto& [easy, t] : active) {
      curl_multi_remove_handle(multi_, easy);
      finish(*t, failure("client stopped"));
    }
    active.clear();
    std::deque<std::unique_ptr<Transfer>> queued;
    {
      std::lock_guard lock(mu_);
      queued.swap(queue_);
    }
    for (auto& t : queued) finish(*t, failure("client stopped"));
  }

  void begin(std::unique_ptr<Transfer> t, Active& active) {
    t->easy = curl_easy_init();
    if (!t->easy) return finish(*t, failure("curl_easy_init failed"));
    if (auto error = configure(*t); !error.empty()) return finish(*t, failure(std::move(error)));
    if (curl_multi_add_handle(multi_, t->easy) != CURLM_OK)
      return finish(*t, failure("curl_multi_add_handle failed"));
    CURL* easy = t->easy;
    active.emplace(easy, std::move(t));
  }

  void collect(Active& active) {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      CURLcode rc = msg->data.result;  // msg dies with remove_handle
      curl_multi_remove_handle(multi_, easy);
      auto it = active.find(easy);
      if (it == active.end()) continue;
      std::unique_ptr<Transfer> t = std::move(it->second);
      active.erase(it);
      HttpResult r;
      if (rc == CURLE_OK) {
        r.transport_ok = true;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r.status);
        r.body = std::move(t->body);
      } else {
        r.error = t->refused[0] ? t->refused : t->error[0] ? t->error : curl_easy_strerror(rc);
      }
      finish(*t, std::move(r));
    }
  }

  void finish(Transfer& t, HttpResult r) {
    try {
      if (t.done) t.done(std::move(r));
    } catch (...) {
      // The caller's bug must not kill the thread every other call relies on.
    }
    --in_flight_;
  }

  CURLM* multi_ = nullptr;
  std::mutex mu_;
  std::deque<std::unique_ptr<Transfer>> queue_;
  bool stopping_ = false;
  std::atomic<size_t> in_flight_{0};
  std::thread thread_;
};

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>(options)) {}

HttpClient::~HttpClient() = default;

void HttpClient::send(HttpCall call, std::function<void(HttpResult)> done) {
  impl_->send(std::move(call), std::move(done));
}

void HttpClient::stop() { impl_->stop(); }

size_t HttpClient::in_flight() const { return impl_->in_flight(); }

}  // namespace backbeat::net
