#include "tests/support/fake_endpoint.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <stdexcept>

namespace backbeat::test {

FakeEndpoint::FakeEndpoint()
    : handler_([](const net::HttpRequest&) { return net::HttpResponse{200, "application/json", "{}", {}}; }),
      server_(net::HttpServerOptions{},
              [this](net::HttpRequest&& request, net::Responder respond) {
                on_request(std::move(request), std::move(respond));
              }) {
  auto port = server_.start();
  if (!port) throw std::runtime_error("FakeEndpoint cannot listen: " + port.error().message);
  port_ = *port;
}

FakeEndpoint::~FakeEndpoint() {
  hang(false);
  server_.stop();
  std::vector<Worker> workers;
  {
    std::lock_guard lock(mu_);
    workers.swap(workers_);
  }
  for (auto& w : workers) w.thread.join();
}

std::string FakeEndpoint::url(std::string_view path) const {
  std::string u = "http://127.0.0.1:" + std::to_string(port_);
  if (path.empty() || path.front() != '/') u += '/';
  u += path;
  return u;
}

void FakeEndpoint::set_handler(Handler handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

void FakeEndpoint::set_before_response(Hook hook) {
  std::lock_guard lock(mu_);
  hook_ = std::move(hook);
}

std::optional<net::HttpRequest> FakeEndpoint::wait_for(Predicate pred,
                                                       std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mu_);
  size_t checked = 0;  // requests already rejected by pred need no second look
  for (;;) {
    for (; checked < unclaimed_.size(); ++checked) {
      if (pred(unclaimed_[checked])) {
        net::HttpRequest found = std::move(unclaimed_[checked]);
        unclaimed_.erase(unclaimed_.begin() + static_cast<std::ptrdiff_t>(checked));
        return found;
      }
    }
    if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout && checked == unclaimed_.size())
      return std::nullopt;
  }
}

std::vector<net::HttpRequest> FakeEndpoint::received() const {
  std::lock_guard lock(mu_);
  return history_;
}

void FakeEndpoint::hang(bool on) {
  std::lock_guard lock(mu_);
  hanging_ = on;
  if (!on) unhung_.notify_all();
}

size_t FakeEndpoint::in_progress() const {
  std::lock_guard lock(mu_);
  return in_progress_;
}

size_t FakeEndpoint::max_in_progress() const {
  std::lock_guard lock(mu_);
  return max_in_progress_;
}

void FakeEndpoint::on_request(net::HttpRequest&& request, net::Responder respond) {
  std::lock_guard lock(mu_);
  ++in_progress_;
  max_in_progress_ = std::max(max_in_progress_, in_progress_);
  history_.push_back(request);
  unclaimed_.push_back(request);
  arrived_.notify_all();
  reap_finished_workers();
  auto finished = std::make_shared<std::atomic<bool>>(false);
  // A thread per request: a hook blocking one request must not block the
  // next, which may be the very call it is waiting for.
  std::thread thread([this, hook = hook_, handler = handler_, request = std::move(request),
                      respond = std::move(respond), finished]() mutable {
    {
      std::unique_lock lock(mu_);
      unhung_.wait(lock, [this] { return !hanging_; });
    }
    std::optional<net::HttpResponse> response;
    try {
      if (hook) hook(request);
      response = handler(request);
    } catch (...) {
      // The dropped Responder answers 500, which the test will notice.
    }
    {
      // Before the answer leaves: the caller may start its next request as
      // soon as it has it, and that one must not be counted with this one.
      std::lock_guard lock(mu_);
      --in_progress_;
    }
    if (response) respond(std::move(*response));
    finished->store(true);
  });
  workers_.push_back(Worker{std::move(thread), std::move(finished)});
}

void FakeEndpoint::reap_finished_workers() {
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (it->finished->load()) {
      it->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
}

uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("closed_port: socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  if (!bound) throw std::runtime_error("closed_port: bind failed");
  return ntohs(addr.sin_port);
}

}  // namespace backbeat::test
