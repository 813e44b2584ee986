#pragma once
// The client service of the crash load: a real HTTP endpoint on 127.0.0.1:0
// that outlives every server incarnation, so its URLs stay valid across
// restarts. It behaves as the Ruby client does: each callback runs on its
// own thread; a decision reports processing, posts its decisions (and may
// signal its own workflow again), then reports completed; an activity
// reports errored as often as its plan says, then completed. Nodes marked
// `inside` report before the callback POST is answered, the others after.
// Every call goes through ResilientApi and lands in the ledger.
#include <string>

#include <nlohmann/json.hpp>

#include "net/http_server.hpp"
#include "tests/crash/ledger.hpp"
#include "tests/crash/resilient_api.hpp"
#include "tests/crash/thread_group.hpp"

namespace backbeat::crash {

class CrashClient {
 public:
  CrashClient(ResilientApi& api, Ledger& ledger, const ServerUnderTest& server);
  ~CrashClient();  // stop()

  // "http://127.0.0.1:PORT": the base of the user's three endpoints.
  const std::string& base_url() const { return base_url_; }
  // Callbacks still being played (a handler blocks while the server is down).
  size_t busy() const { return handlers_.running(); }
  // No new callbacks; waits for the handlers to finish.
  void stop();

 private:
  class Answer;
  void on_request(net::HttpRequest&& request, net::Responder respond);
  void play(const nlohmann::json& node, bool decision, Answer& answer);
  void play_decision(const nlohmann::json& node, Answer& answer);
  void play_activity(const nlohmann::json& node, Answer& answer);
  Reply report(CallKind kind, const nlohmann::json& node, const std::string& method,
               const std::string& target, const std::string& body);

  ResilientApi& api_;
  Ledger& ledger_;
  const ServerUnderTest& server_;
  ThreadGroup handlers_;
  std::string base_url_;
  net::HttpServer endpoint_;  // last: its thread calls into the members above
};

}  // namespace backbeat::crash
