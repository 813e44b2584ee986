#include "actors/api/call.hpp"

#include <memory>

#include "actors/api/admission.hpp"
#include "net/contract/error_body.hpp"
#include "net/contract/json_text.hpp"

namespace backbeat::actors::api {

Error bad_request(std::string message) {
  return make_error(Error::Kind::bad_request, std::move(message));
}

void Call::reply(int status, const contract::OrderedJson& body) const { reply(status, body, {}); }

void Call::reply(int status, const contract::OrderedJson& body,
                 std::vector<std::pair<std::string, std::string>> headers) const {
  net::HttpResponse r;
  r.status = status;
  r.body = contract::dump_json(body);
  r.headers = std::move(headers);
  respond(std::move(r));
}

void Call::reply_text(int status, std::string body) const {
  net::HttpResponse r;
  r.status = status;
  r.content_type = "text/plain";
  r.body = std::move(body);
  respond(std::move(r));
}

void Call::fail(const Error& error) const { respond(contract::error_response(error)); }

void command(Call call, const Uuid& workflow, engine::Event event,
             std::function<void(const Call&, CommandResult&)> on_ok) {
  // Past the limit, clients are told to come back rather than queue without
  // bound in actor mailboxes (memory) and wait past their own timeouts.
  Metrics& m = call.svc->metrics;
  if (call.svc->stopping)
    return call.fail(
        make_error(Error::Kind::shutting_down, "this node is stopping; retry on another"));
  if (call.user) {
    if (auto refused = refuse_new_work(*call.svc, *call.user, event)) {
      (refused->kind == Error::Kind::user_quota ? m.quota_refusals : m.new_work_shed)++;
      return call.fail(*refused);
    }
  }
  if (m.commands_in_flight.fetch_add(1) >= call.svc->tunables.max_commands_in_flight) {
    m.commands_in_flight--;
    m.commands_shed++;
    return call.fail(
        make_error(Error::Kind::overloaded, "too many requests in flight; retry shortly"));
  }
  // Nor one user: beyond its quota only its own requests wait.
  const std::optional<Uuid> requester =
      call.user ? std::optional<Uuid>(call.user->id) : std::nullopt;
  if (requester && call.svc->quotas) {
    const int64_t limit = call.svc->quotas->of(*requester).commands_in_flight;
    if (!call.svc->user_commands.try_take(*requester, size_t(limit))) {
      m.commands_in_flight--;
      m.user_commands_shed++;
      return call.fail(make_error(Error::Kind::user_quota,
                                  "you have " + std::to_string(limit) +
                                      " requests in flight (quotas.commands_in_flight); retry "
                                      "shortly"));
    }
  }
  const auto give_back_user = [svc = call.svc, requester] {
    if (requester && svc->quotas) svc->user_commands.give_back(*requester);
  };
  // One workflow may not take the whole budget above: beyond its own limit
  // only its requests wait.
  CommandBacklog& backlog = call.svc->backlog;
  if (!backlog.try_take(workflow, size_t(call.svc->tunables.max_commands_per_workflow))) {
    m.commands_in_flight--;
    give_back_user();
    m.workflow_commands_shed++;
    return call.fail(make_error(
        Error::Kind::workflow_busy,
        "too many requests in flight for workflow " + workflow.str() + "; retry shortly"));
  }
  // The call outlives this function: the answer comes back on another thread.
  const caf::actor gateway = *call.gateway;
  auto shared = std::make_shared<Call>(std::move(call));
  dispatch(gateway, DispatchJob{workflow, std::move(event),
                                [shared, workflow, give_back_user,
                                 on_ok = std::move(on_ok)](CommandResult r) {
                                  shared->svc->metrics.commands_in_flight--;
                                  shared->svc->backlog.give_back(workflow);
                                  give_back_user();
                                  if (r.error) return shared->fail(*r.error);
                                  // Runs inside the gateway actor: nothing may escape.
                                  try {
                                    on_ok(*shared, r);
                                  } catch (const std::exception& e) {
                                    shared->fail(make_error(Error::Kind::internal, e.what()));
                                  }
                                }});
}

}  // namespace backbeat::actors::api
