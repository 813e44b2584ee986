#include "net/endpoint_gate.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <optional>

namespace backbeat::net {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Calls to hand to an HttpClient, per thread. A client that has stopped runs
// `done` inside send(), and `done` frees a slot that starts the next queued
// call: without this, draining a long queue would recurse once per call.
struct Outgoing {
  HttpClient* http;
  HttpCall call;
  std::function<void(HttpResult)> done;
};
thread_local std::deque<Outgoing> outbox;
thread_local bool sending = false;

void flush_outbox() {
  if (sending) return;  // an outer frame of this thread is already sending
  sending = true;
  while (!outbox.empty()) {
    Outgoing o = std::move(outbox.front());
    outbox.pop_front();
    o.http->send(std::move(o.call), std::move(o.done));
  }
  sending = false;
}

}  // namespace

std::string endpoint_of(std::string_view url) {
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return std::string(url);
  const std::string scheme = lower(url.substr(0, sep));
  if (scheme != "http" && scheme != "https") return std::string(url);
  std::string_view authority = url.substr(sep + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {  // an IPv6 literal
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::string(url);
    host = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() == ':') port = after.substr(1);
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (port.empty()) port = scheme == "https" ? "443" : "80";
  return scheme + "://" + lower(host) + ":" + std::string(port);
}

EndpointGate::EndpointGate(HttpClient& http, EndpointLimits limits)
    : http_(http), limits_(limits) {}

EndpointGate::Admission EndpointGate::submit(const CallKey& key, HttpCall call,
                                             std::function<void(HttpResult)> done) {
  std::string endpoint = endpoint_of(call.url);
  {
    std::lock_guard lock(mu_);
    if (stopped_) return Admission::refused;
    if (held_.count(key)) return Admission::already_held;
    Endpoint& ep = endpoints_[endpoint];
    if (ep.in_flight >= limits_.concurrency) {
      if (queued_ >= limits_.max_queued || ep.queue.size() >= limits_.max_queued_per_endpoint) {
        ep.deferred = true;
        ep.room_signalled = false;
        return Admission::refused;
      }
      held_.insert(key);
      ep.queue.push_back(Waiting{key, std::move(call), std::move(done)});
      ++queued_;
      return Admission::queued;
    }
    held_.insert(key);
    ++ep.in_flight;
    ++in_flight_;
  }
  start(Waiting{key, std::move(call), std::move(done)}, endpoint);
  return Admission::started;
}

void EndpointGate::start(Waiting w, const std::string& endpoint) {
  outbox.push_back(Outgoing{&http_, std::move(w.call),
                            [this, endpoint, key = w.key, done = std::move(w.done)](HttpResult r) {
                              // The slot and the key first, then the outcome:
                              // whoever hears it and offers the call again
                              // (a restarted workflow) must not find it held,
                              // or an outcome lost on its way would strand it.
                              finished(endpoint, key);
                              if (done) done(std::move(r));
                            }});
  flush_outbox();
}

void EndpointGate::finished(const std::string& endpoint, const CallKey& key) {
  std::optional<Waiting> next;
  std::function<void()> signal;
  {
    std::lock_guard lock(mu_);
    held_.erase(key);
    --in_flight_;
    auto it = endpoints_.find(endpoint);
    if (it == endpoints_.end()) return;  // cannot happen: in flight keeps it
    Endpoint& ep = it->second;
    --ep.in_flight;
    if (!stopped_ && !ep.queue.empty()) {
      next = std::move(ep.queue.front());
      ep.queue.pop_front();
      --queued_;
      ++ep.in_flight;
      ++in_flight_;
    }
    if (ep.deferred && !ep.room_signalled && ep.queue.size() <= limits_.max_queued_per_endpoint / 2 &&
        queued_ <= limits_.max_queued / 2) {
      ep.room_signalled = true;
      signal = on_room_;
    }
    forget_if_idle(it);
  }
  if (next) start(std::move(*next), endpoint);
  if (signal) signal();
}

void EndpointGate::forget_if_idle(Endpoints::iterator it) {
  const Endpoint& ep = it->second;
  if (ep.in_flight == 0 && ep.queue.empty() && !ep.deferred) endpoints_.erase(it);
}

bool EndpointGate::saturated(std::string_view url) const {
  const std::string endpoint = endpoint_of(url);
  std::lock_guard lock(mu_);
  if (queued_ >= limits_.max_queued) return true;
  auto it = endpoints_.find(endpoint);
  if (it == endpoints_.end()) return false;
  return it->second.deferred || it->second.queue.size() >= limits_.max_queued_per_endpoint;
}

size_t EndpointGate::room(std::string_view url) const {
  const std::string endpoint = endpoint_of(url);
  std::lock_guard lock(mu_);
  const size_t global = limits_.max_queued - std::min(queued_, limits_.max_queued);
  auto it = endpoints_.find(endpoint);
  if (it == endpoints_.end()) return limits_.concurrency + std::min(global, limits_.max_queued_per_endpoint);
  const Endpoint& ep = it->second;
  const size_t slots = limits_.concurrency - std::min(ep.in_flight, limits_.concurrency);
  const size_t queue =
      limits_.max_queued_per_endpoint - std::min(ep.queue.size(), limits_.max_queued_per_endpoint);
  return slots + std::min(global, queue);
}

size_t EndpointGate::global_room() const {
  std::lock_guard lock(mu_);
  return limits_.max_queued - std::min(queued_, limits_.max_queued);
}

bool EndpointGate::holds(const CallKey& key) const {
  std::lock_guard lock(mu_);
  return held_.count(key) > 0;
}

bool EndpointGate::has_deferred() const {
  std::lock_guard lock(mu_);
  for (const auto& [name, ep] : endpoints_)
    if (ep.deferred) return true;
  return false;
}

void EndpointGate::clear_deferred() {
  std::lock_guard lock(mu_);
  for (auto it = endpoints_.begin(); it != endpoints_.end();) {
    auto here = it++;
    here->second.deferred = false;
    forget_if_idle(here);
  }
}

void EndpointGate::mark_deferred(std::string_view url) {
  std::lock_guard lock(mu_);
  Endpoint& ep = endpoints_[endpoint_of(url)];
  ep.deferred = true;
  ep.room_signalled = false;
}

void EndpointGate::on_room(std::function<void()> signal) {
  std::lock_guard lock(mu_);
  on_room_ = std::move(signal);
}

void EndpointGate::stop() {
  std::deque<Waiting> failed;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    for (auto& [name, ep] : endpoints_) {
      for (Waiting& w : ep.queue) {
        held_.erase(w.key);
        failed.push_back(std::move(w));
      }
      queued_ -= ep.queue.size();
      ep.queue.clear();
    }
  }
  for (Waiting& w : failed) {
    HttpResult r;
    r.error = "client stopped";
    try {
      if (w.done) w.done(std::move(r));
    } catch (...) {
      // As in HttpClient: one caller's bug must not stop the others hearing.
    }
  }
}

EndpointGate::Stats EndpointGate::stats() const {
  std::lock_guard lock(mu_);
  return Stats{in_flight_, queued_, endpoints_.size()};
}

}  // namespace backbeat::net
