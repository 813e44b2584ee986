#include "actors/callback_sender.hpp"

#include <cstdint>

#include "actors/activity_runner.hpp"
#include "actors/messages.hpp"
#include "net/contract/json_presenters.hpp"
#include "net/contract/json_text.hpp"

namespace backbeat::actors {
namespace {

void report(const Services& svc, const Uuid& wf, engine::ev::CallbackOutcome outcome) {
  caf::anon_send(svc.registry, route_atom::value, wf, engine::Event{std::move(outcome)});
}

bool as_decision(const Node& node, const User& user) {
  return node.is_decision() && !user.decision_endpoint.empty();
}

}  // namespace

std::string callback_url(const Node& node, const User& user) {
  return as_decision(node, user) ? user.decision_endpoint : user.activity_endpoint;
}

void send_callback(const Services& svc, const Node& node, const Workflow& wf) {
  if (node.runs_in_engine()) return run_in_engine(svc, node, wf);
  engine::ev::CallbackOutcome outcome{node.id, node.attempt, false, {}};
  auto user = svc.users->find(node.user_id);
  if (!user) {
    outcome.error_message = "No user " + node.user_id.str() + " to send the node to";
    return report(svc, wf.id, std::move(outcome));
  }
  net::HttpCall call;
  call.url = callback_url(node, *user);
  call.body = contract::dump_json(contract::callback_body(node, wf, as_decision(node, *user)));
  call.connect_timeout = svc.tunables.callback_connect_timeout;
  call.timeout = svc.tunables.callback_timeout;
  const std::string kind = node.is_decision() ? "decision" : "activity";
  std::string url = call.url;
  // Counted before the gate may run `done`, so the gauge never dips below zero.
  svc.metrics.callbacks_in_flight++;
  svc.user_callbacks.try_take(wf.user_id, SIZE_MAX);
  const auto started = std::chrono::steady_clock::now();
  const auto admitted = svc.gate->submit(
      net::CallKey{node.id, node.attempt}, std::move(call),
      [&svc, wf_id = wf.id, owner = wf.user_id, outcome, kind, started,
       url = std::move(url)](net::HttpResult r) mutable {
        svc.metrics.callbacks_in_flight--;
        svc.user_callbacks.give_back(owner);
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
  switch (admitted) {
    case net::EndpointGate::Admission::started:
    case net::EndpointGate::Admission::queued:
      svc.metrics.callbacks_sent++;
      break;
    case net::EndpointGate::Admission::refused:
      svc.metrics.callbacks_deferred++;
      svc.metrics.callbacks_in_flight--;
      svc.user_callbacks.give_back(wf.user_id);
      break;
    case net::EndpointGate::Admission::already_held:  // on its way already
      svc.metrics.callbacks_in_flight--;
      svc.user_callbacks.give_back(wf.user_id);
      break;
  }
}

}  // namespace backbeat::actors
