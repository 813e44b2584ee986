#include "tests/bench/fake_client.hpp"

#include <optional>

#include <nlohmann/json.hpp>

#include "net/contract/json_text.hpp"

namespace backbeat::bench {
namespace {

net::HttpResponse ok() { return net::HttpResponse{200, "application/json", "{}", {}}; }

net::HttpServerOptions endpoint_options(int io_threads) {
  net::HttpServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.io_threads = io_threads;
  return o;
}

std::optional<Callback::Kind> kind_of(std::string_view path) {
  if (path == "/decision") return Callback::Kind::decision;
  if (path == "/activity") return Callback::Kind::activity;
  if (path == "/notification") return Callback::Kind::notification;
  return std::nullopt;
}

// Every callback carries the node under "decision" or "activity" (a
// notification under "activity" too); the driver needs its id and workflow.
bool read_node(const std::string& body, Callback& cb) {
  auto json = contract::parse_json_text(body, "callback");
  if (!json || !json->is_object()) return false;
  const nlohmann::json* node = nullptr;
  for (const char* key : {"decision", "activity"})
    if (auto it = json->find(key); it != json->end() && it->is_object()) node = &*it;
  if (!node) return false;
  auto id = node->find("id");
  auto wf = node->find("workflowId");
  if (id == node->end() || !id->is_string() || wf == node->end() || !wf->is_string()) return false;
  cb.node_id = id->get<std::string>();
  cb.workflow_id = wf->get<std::string>();
  return true;
}

}  // namespace

void Answer::answer() {
  net::Responder respond;
  {
    std::lock_guard lock(mu_);
    respond.swap(respond_);
  }
  if (respond) respond(ok());
}

FakeClient::FakeClient(bool answer_first, int io_threads, Sink sink)
    : answer_first_(answer_first),
      sink_(std::move(sink)),
      server_(endpoint_options(io_threads), [this](net::HttpRequest&& request, net::Responder respond) {
        on_request(std::move(request), std::move(respond));
      }) {}

Result<std::string> FakeClient::start() {
  auto port = server_.start();
  if (!port) return port.error();
  return "http://127.0.0.1:" + std::to_string(*port);
}

void FakeClient::on_request(net::HttpRequest&& request, net::Responder respond) {
  Callback cb;
  cb.received_at = std::chrono::steady_clock::now();
  auto kind = kind_of(request.path());
  if (request.method != "POST" || !kind || !read_node(request.body, cb)) {
    ++rejected_;
    respond(net::HttpResponse{400, "application/json", R"({"error":"not a callback"})", {}});
    return;
  }
  cb.kind = *kind;
  // Notifications are never part of the client's reporting, so they are
  // answered at once in either mode.
  if (answer_first_ || cb.kind == Callback::Kind::notification)
    respond(ok());
  else
    cb.answer = std::make_shared<Answer>(std::move(respond));
  sink_(std::move(cb));
}

}  // namespace backbeat::bench
