#include "tests/crash/crash_client.hpp"

#include <mutex>
#include <stdexcept>

namespace backbeat::crash {
namespace {

using nlohmann::json;

constexpr const char* kNoResponse = R"({"response":null})";
constexpr const char* kDecided = R"({"response":{"jsonrpc":"2.0","result":"decided","error":null,"id":null}})";
constexpr const char* kDone = R"({"response":{"jsonrpc":"2.0","result":"done","error":null,"id":null}})";
constexpr const char* kFailed = R"({"response":{"error":{"message":"crash test: planned failure"}}})";

net::HttpResponse ok() { return net::HttpResponse{200, "application/json", "{}", {}}; }

net::HttpServerOptions endpoint_options() {
  net::HttpServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  return o;
}

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

// The callback POST's answer: always 200 (a non-2xx would count as a failed
// delivery and burn a retry), given once, early or late.
class CrashClient::Answer {
 public:
  explicit Answer(net::Responder respond) : respond_(std::move(respond)) {}
  ~Answer() { give(); }
  void give() {
    net::Responder r;
    {
      std::lock_guard lock(mu_);
      r.swap(respond_);
    }
    if (r) r(ok());
  }

 private:
  std::mutex mu_;
  net::Responder respond_;
};

CrashClient::CrashClient(ResilientApi& api, Ledger& ledger, const ServerUnderTest& server)
    : api_(api),
      ledger_(ledger),
      server_(server),
      endpoint_(endpoint_options(), [this](net::HttpRequest&& request, net::Responder respond) {
        on_request(std::move(request), std::move(respond));
      }) {
  auto port = endpoint_.start();
  if (!port) throw std::runtime_error("crash client cannot listen: " + port.error().message);
  base_url_ = "http://127.0.0.1:" + std::to_string(*port);
}

CrashClient::~CrashClient() { stop(); }

void CrashClient::stop() {
  endpoint_.stop();
  handlers_.join_all();
}

void CrashClient::on_request(net::HttpRequest&& request, net::Responder respond) {
  const std::string path(request.path());
  if (path == "/notification") {
    // Only a node that gave up (retries exhausted) or a server error makes
    // one; either is a failure of the run.
    ledger_.add_notification(request.body);
    return respond(ok());
  }
  auto body = json::parse(request.body, nullptr, false);
  const bool decision = path == "/decision";
  const char* key = decision ? "decision" : "activity";
  if ((!decision && path != "/activity") || !body.is_object() || !body.contains(key) ||
      !(*body.find(key)).is_object()) {
    ledger_.add_problem("unexpected callback " + path + ": " + request.body.substr(0, 200));
    return respond(ok());
  }
  json node = std::move(body[key]);
  ledger_.add_delivery(str(node, "id"), Delivery{str(node, "workflowId"), decision, wall_now_ms(),
                                                  server_.current().generation});
  auto answer = std::make_shared<Answer>(std::move(respond));
  handlers_.spawn([this, node = std::move(node), decision, answer] {
    try {
      play(node, decision, *answer);
    } catch (const std::exception& e) {
      ledger_.add_problem(std::string("client handler threw: ") + e.what());
    }
  });
}

void CrashClient::play(const json& node, bool decision, Answer& answer) {
  if (decision)
    play_decision(node, answer);
  else
    play_activity(node, answer);
  answer.give();
}

void CrashClient::play_decision(const json& node, Answer& answer) {
  const json data = node.value("clientData", json::object());
  const NodePlan plan = read_plan(data, true);
  const std::string path = "/activities/" + str(node, "id");
  if (!plan.inside) answer.give();
  if (plan.processing) report(CallKind::processing, node, "PUT", path + "/status/processing", kNoResponse);
  const std::string wf = str(node, "workflowId");
  if (plan.signals_again && ledger_.claim_second_signal(wf))
    report(CallKind::signal, node, "POST", "/workflows/" + wf + "/signal/again", second_signal_body(data));
  report(CallKind::decisions, node, "POST", path + "/decisions", decisions_body(data, wall_now_ms()));
  report(CallKind::completed, node, "PUT", path + "/status/completed", kDecided);
}

void CrashClient::play_activity(const json& node, Answer& answer) {
  const NodePlan plan = read_plan(node.value("clientData", json::object()), false);
  const std::string id = str(node, "id");
  const std::string path = "/activities/" + id;
  if (!plan.inside) answer.give();
  if (ledger_.acked_errors(id) < plan.errors) {
    if (report(CallKind::errored, node, "PUT", path + "/status/errored", kFailed).ok())
      ledger_.count_acked_error(id);
    return;
  }
  if (plan.processing) report(CallKind::processing, node, "PUT", path + "/status/processing", kNoResponse);
  if (report(CallKind::completed, node, "PUT", path + "/status/completed", kDone).ok())
    ledger_.count_completion(str(node, "workflowId"), id);
}

Reply CrashClient::report(CallKind kind, const json& node, const std::string& method,
                          const std::string& target, const std::string& body) {
  CallRecord r;
  r.kind = kind;
  r.workflow_no = node.value("clientData", json::object()).value("wf", uint64_t{0});
  r.workflow_id = str(node, "workflowId");
  r.node_id = str(node, "id");
  r.sent_at = wall_now_ms();
  r.reply = api_.call(method, target, body);
  if (r.reply.ok()) {
    const json answer = r.reply.json();
    if (kind == CallKind::signal) r.created.push_back(r.reply.id());
    if (kind == CallKind::decisions && answer.is_array())
      for (const json& id : answer)
        if (id.is_string()) r.created.push_back(id.get<std::string>());
  }
  Reply reply = r.reply;
  ledger_.add_call(std::move(r));
  return reply;
}

}  // namespace backbeat::crash
