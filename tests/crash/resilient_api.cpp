#include "tests/crash/resilient_api.hpp"

#include <thread>

namespace backbeat::crash {
namespace {

using Clock = std::chrono::steady_clock;

// Turned away before anything was applied (actors/api/call.cpp, admission.cpp).
bool refused_before_applying(const test::TestResponse& r) {
  const auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (!body.is_object()) return false;
  const std::string cls = body.value("errorClass", "");
  return cls == "Backbeat::ShuttingDown" || cls == "Backbeat::Overloaded" ||
         cls == "Backbeat::WorkflowBusy" || cls == "Backbeat::CallbackBacklog";
}

}  // namespace

Millis wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

nlohmann::json Reply::json() const {
  auto j = nlohmann::json::parse(body, nullptr, false);
  return j.is_discarded() ? nlohmann::json() : j;
}

std::string Reply::id() const {
  const nlohmann::json j = json();
  if (!j.is_object()) return {};
  auto it = j.find("id");
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

ResilientApi::ResilientApi(ServerUnderTest& server, std::chrono::seconds give_up_after)
    : server_(server), give_up_after_(give_up_after) {}

void ResilientApi::act_as(const std::string& user_id, const std::string& token) {
  identity_ = {{"Client-Id", user_id}, {"Authorization", "Token token=\"" + token + "\""}};
}

Reply ResilientApi::call(const std::string& method, const std::string& target,
                         const std::string& body) {
  return call_with(method, target, body, identity_);
}

Reply ResilientApi::create_user(const std::string& name, const std::string& endpoint_base) {
  const nlohmann::json body = {{"name", name},
                               {"decision_endpoint", endpoint_base + "/decision"},
                               {"activity_endpoint", endpoint_base + "/activity"},
                               {"notification_endpoint", endpoint_base + "/notification"}};
  return call_with("POST", "/users", body.dump(),
                   {{"Authorization", std::string("Token token=\"") + ServerUnderTest::kAdminToken + "\""}});
}

test::TestResponse ResilientApi::once(const std::string& method, const std::string& target,
                                      const std::string& body) {
  const Incarnation inc = server_.current();
  if (inc.port == 0) return test::TestResponse{0, "connect: server down", {}};
  return test::http_request("127.0.0.1", inc.port, method, target, body, identity_);
}

Reply ResilientApi::call_with(const std::string& method, const std::string& target,
                              const std::string& body, const test::Headers& headers) {
  const auto give_up_at = Clock::now() + give_up_after_;
  Reply reply;
  Incarnation inc = server_.current();
  while (Clock::now() < give_up_at && !abandoned_) {
    if (inc.port == 0) {
      inc = server_.wait_for_other(inc.generation, std::chrono::seconds(1));
      continue;
    }
    ++reply.attempts;
    test::TestResponse r = test::http_request("127.0.0.1", inc.port, method, target, body, headers);
    const bool answered = r.status != 0 && r.status != 503 && r.status != 504;
    if (answered) {
      reply.status = r.status;
      reply.body = std::move(r.body);
      reply.answered_at = wall_now_ms();
      reply.generation = inc.generation;
      return reply;
    }
    const bool never_sent = r.status == 0 && r.body.rfind("connect:", 0) == 0;
    const bool turned_away = r.status == 503 && refused_before_applying(r);
    if (!never_sent && !turned_away) ++reply.unknown;
    // A dead incarnation: wake as soon as the next is up. A live one that
    // failed us (overload, stopping): back off a little and try again.
    inc = server_.wait_for_other(inc.generation, std::chrono::milliseconds(200));
  }
  reply.body = "no definite answer from the server within " +
               std::to_string(give_up_after_.count()) + " s";
  return reply;
}

}  // namespace backbeat::crash
