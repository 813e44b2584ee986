#include "actors/callback_sender.hpp"

#include "actors/messages.hpp"
#include "net/json_presenters.hpp"
#include "net/json_text.hpp"

namespace backbeat::actors {
namespace {

void report(const Services& svc, const Uuid& wf, engine::ev::CallbackOutcome outcome) {
  caf::anon_send(svc.registry, route_atom::value, wf, engine::Event{std::move(outcome)});
}

}  // namespace

void send_callback(const Services& svc, const Node& node, const Workflow& wf) {
  engine::ev::CallbackOutcome outcome{node.id, node.attempt, false, {}};
  auto user = svc.users->find(node.user_id);
  if (!user) {
    outcome.error_message = "No user " + node.user_id.str() + " to send the node to";
    return report(svc, wf.id, std::move(outcome));
  }
  const bool as_decision = node.is_decision() && !user->decision_endpoint.empty();
  net::HttpCall call;
  call.url = as_decision ? user->decision_endpoint : user->activity_endpoint;
  call.body = net::dump_json(net::callback_body(node, wf, as_decision));
  call.connect_timeout = svc.tunables.callback_connect_timeout;
  call.timeout = svc.tunables.callback_timeout;
  const std::string kind = node.is_decision() ? "decision" : "activity";
  std::string url = call.url;
  svc.metrics.callbacks_sent++;
  svc.metrics.callbacks_in_flight++;
  const auto started = std::chrono::steady_clock::now();
  svc.http->send(std::move(call), [&svc, wf_id = wf.id, outcome, kind, started,
                                   url = std::move(url)](net::HttpResult r) mutable {
    svc.metrics.callbacks_in_flight--;
    svc.metrics.callback_micros += uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(
                                                std::chrono::steady_clock::now() - started)
                                                .count());
    if (!r.transport_ok)
      outcome.error_message = "Could not POST " + url + ", error: " + r.error;
    else if (r.status < 200 || r.status >= 300)
      outcome.error_message = "HTTP request for " + kind + " failed";
    else
      outcome.delivered = true;
    if (!outcome.delivered) svc.metrics.callbacks_failed++;
    report(svc, wf_id, std::move(outcome));
  });
}

}  // namespace backbeat::actors
