#pragma once
// Outgoing calls to client endpoints, limited per endpoint. A client whose
// endpoint hangs, refuses or crawls must cost Backbeat a bounded number of
// connections and a bounded amount of memory, and must not slow any other
// client down. So each endpoint (scheme://host:port) gets at most
// `concurrency` calls in flight; the rest wait in that endpoint's queue, and
// the queues are bounded per endpoint and server-wide. A call that finds its
// queue full is refused: its caller keeps it on disk and offers it again
// later (see actors/redelivery_actor.hpp), instead of holding it in memory.
//
// Never blocks: every method takes one short lock, and calls are handed to
// the HttpClient (curl multi, one thread) outside of it.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "net/http_client.hpp"
#include "engine/uuid.hpp"

namespace backbeat::net {

struct EndpointLimits {
  size_t concurrency = 32;                // calls in flight to one endpoint
  size_t max_queued = 20000;              // waiting for a slot, every endpoint together
  size_t max_queued_per_endpoint = 5000;  // waiting for a slot at one endpoint
};

// "scheme://host:port" of a URL, lower-cased, with the scheme's default port
// filled in, so http://A/x and http://a:80/y are one endpoint. A text that is
// not an http(s) URL is its own endpoint.
std::string endpoint_of(std::string_view url);

// What is being delivered: a node's attempt, an outbox entry. The same key
// is never queued or sent twice at once, so offering a call again (after a
// restart, by a redelivery pass) while it is still on its way is harmless.
struct CallKey {
  Uuid id;
  uint32_t attempt = 0;
  friend auto operator<=>(const CallKey&, const CallKey&) = default;
};

class EndpointGate {
 public:
  enum class Admission {
    started,       // handed to the HTTP client now
    queued,        // waits for a slot at its endpoint
    already_held,  // this key is queued or in flight already; nothing done
    refused,       // queue full (or stopped); `done` will not run
  };

  struct Stats {
    size_t in_flight = 0;
    size_t queued = 0;
    size_t endpoints = 0;  // endpoints with calls in flight, queued or deferred
  };

  EndpointGate(HttpClient& http, EndpointLimits limits);  // http outlives the gate
  EndpointGate(const EndpointGate&) = delete;
  EndpointGate& operator=(const EndpointGate&) = delete;

  // `done` runs exactly once unless the call is refused or already held, on
  // the HTTP client's thread (or the caller's, once the client has stopped);
  // it must be quick. The key and the endpoint's slot are freed just before.
  Admission submit(const CallKey& key, HttpCall call, std::function<void(HttpResult)> done);

  // True while new work bound for this URL's endpoint should be turned away:
  // its queue or the server-wide one is full, or calls refused for it have
  // not been offered again yet.
  bool saturated(std::string_view url) const;
  // Calls this URL's endpoint could take now (free slots + queue room),
  // within the server-wide queue room.
  size_t room(std::string_view url) const;
  size_t global_room() const;
  bool holds(const CallKey& key) const;

  // Refusals leave their endpoint marked "deferred" until a redelivery pass
  // clears the marks (clear_deferred) and re-marks what it could not offer.
  bool has_deferred() const;
  void clear_deferred();
  void mark_deferred(std::string_view url);
  // Runs when an endpoint with deferred calls has drained to half its queue
  // limit, on the thread that freed the slot; must be quick. Settable at any
  // time (an empty function turns it off).
  void on_room(std::function<void()> signal);

  // Fails the queued calls ("client stopped") and refuses every later
  // submit. Calls already in flight end through the HTTP client.
  void stop();

  Stats stats() const;

 private:
  struct Waiting {
    CallKey key;
    HttpCall call;
    std::function<void(HttpResult)> done;
  };
  struct Endpoint {
    size_t in_flight = 0;
    std::deque<Waiting> queue;
    bool deferred = false;
    bool room_signalled = false;  // on_room already fired since the last deferral
  };
  using Endpoints = std::map<std::string, Endpoint, std::less<>>;

  void start(Waiting w, const std::string& endpoint);
  void finished(const std::string& endpoint, const CallKey& key);
  void forget_if_idle(Endpoints::iterator it);  // with mu_ held
  void send_all();                              // drains the thread's outbox

  HttpClient& http_;
  const EndpointLimits limits_;
  std::function<void()> on_room_;
  mutable std::mutex mu_;
  Endpoints endpoints_;
  std::set<CallKey> held_;
  size_t queued_ = 0;
  size_t in_flight_ = 0;
  bool stopped_ = false;
};

}  // namespace backbeat::net
