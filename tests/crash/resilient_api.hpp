#pragma once
// The Backbeat API as a durable client calls it: one fresh connection per
// call (as the Ruby client does), against whichever incarnation of the
// server is up, and retried until the server gives a definite answer.
//
// What an attempt tells about the server's state:
// * the connection was refused: nothing was sent, nothing happened;
// * 503 Backbeat::ShuttingDown, Overloaded, WorkflowBusy, CallbackBacklog:
//   turned away before anything was applied;
// * the connection broke after the request went out, 504, or any other 503:
//   unknown: it may have been applied. Counted in Reply::unknown.
// Retrying after an unknown outcome is what makes duplicates: the checks
// must find them harmless.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/model.hpp"
#include "tests/crash/server_under_test.hpp"
#include "tests/support/http_test_client.hpp"

namespace backbeat::crash {

struct Reply {
  int status = 0;  // 0: no definite answer before the give-up time
  std::string body;
  int attempts = 0;
  int unknown = 0;          // earlier attempts that may have been applied
  Millis answered_at = 0;   // wall clock when the answer arrived
  uint64_t generation = 0;  // the incarnation that answered
  bool ok() const { return status >= 200 && status < 300; }
  nlohmann::json json() const;  // null when the body is not JSON
  std::string id() const;       // the "id" of a JSON object body, or ""
};

Millis wall_now_ms();

class ResilientApi {
 public:
  ResilientApi(ServerUnderTest& server, std::chrono::seconds give_up_after);

  // Identity for every later call (set before any other thread calls).
  void act_as(const std::string& user_id, const std::string& token);

  Reply call(const std::string& method, const std::string& target, const std::string& body = "");
  // One attempt on the current incarnation, no retry: for probing a stop.
  test::TestResponse once(const std::string& method, const std::string& target,
                          const std::string& body = "");
  // POST /users with the admin token, retried like call().
  Reply create_user(const std::string& name, const std::string& endpoint_base);
  // Every call, current and later, gives up at its next attempt: lets a
  // failed test end without waiting out the give-up time of each client.
  void abandon() { abandoned_ = true; }

 private:
  Reply call_with(const std::string& method, const std::string& target, const std::string& body,
                  const test::Headers& headers);

  ServerUnderTest& server_;
  std::chrono::seconds give_up_after_;
  test::Headers identity_;
  std::atomic<bool> abandoned_{false};
};

}  // namespace backbeat::crash
