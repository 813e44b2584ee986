#include <algorithm>

#include "actors/activity/builtins.hpp"
#include "net/endpoint_gate.hpp"
#include "runtime/engine/result.hpp"

namespace backbeat::activity {
namespace {

bool allowed(const std::string& url, const Env& env) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) return false;
  return std::any_of(env.http_allowed_urls.begin(), env.http_allowed_urls.end(),
                     [&](const std::string& prefix) {
                       return prefix == "*" || url.rfind(prefix, 0) == 0;
                     });
}

// client_data -> the request, or why it cannot be made.
Result<net::HttpCall> request_of(const Json& data, const Env& env) {
  auto bad = [](std::string m) { return make_error(Error::Kind::bad_request, "", std::move(m)); };
  const Json url = data.value("url", Json());
  if (!url.is_string()) return bad("client_data.url must be a string");
  net::HttpCall call;
  call.url = url.get<std::string>();
  if (!allowed(call.url, env))
    return bad("client_data.url is not an http(s) URL this server may call "
               "([activities] http_allowed_urls)");
  const Json method = data.value("method", Json("POST"));
  static const std::vector<std::string> kMethods{"GET", "POST", "PUT", "PATCH", "DELETE"};
  if (!method.is_string() ||
      std::find(kMethods.begin(), kMethods.end(), method.get<std::string>()) == kMethods.end())
    return bad("client_data.method must be one of GET, POST, PUT, PATCH, DELETE");
  call.method = method.get<std::string>();
  if (call.method != "GET" && call.method != "DELETE")
    call.body = (data.contains("body") ? data["body"] : data).dump();
  const Json headers = data.value("headers", Json::object());
  if (!headers.is_object()) return bad("client_data.headers must be an object of strings");
  for (const auto& [key, value] : headers.items()) {
    // A CR or LF would let a decision smuggle a second request line.
    const bool clean = value.is_string() && key.find_first_of("\r\n:") == std::string::npos &&
                       value.get<std::string>().find_first_of("\r\n") == std::string::npos;
    if (!clean) return bad("client_data.headers must be an object of single-line strings");
    call.headers.push_back(key + ": " + value.get<std::string>());
  }
  call.connect_timeout = env.http_connect_timeout;
  call.timeout = env.http_timeout;
  return call;
}

Outcome outcome_of(const net::HttpCall& call, const net::HttpResult& r) {
  if (!r.transport_ok) return errored("Could not " + call.method + " " + call.url + ": " + r.error);
  Json body = Json::parse(r.body, nullptr, false);
  if (body.is_discarded()) body = r.body;
  if (r.status >= 200 && r.status < 300) return completed({{"status", r.status}, {"body", body}});
  return errored(call.method + " " + call.url + " answered " + std::to_string(r.status),
                 {{"status", r.status}, {"body", body}});
}

}  // namespace

caf::behavior HttpActivity::make(caf::event_based_actor* self, const Env& env) {
  return {
      [self, &env](run_atom, const Job& job) -> caf::result<Outcome> {
        auto call = request_of(job.client_data, env);
        if (!call) return errored(call.error().message);
        processing(self, job);  // the call may take long: restart the node's deadline
        auto promise = self->make_response_promise();
        // The answer arrives on the HTTP client's thread; it becomes a message.
        self->become([promise](Outcome& outcome) mutable { promise.deliver(std::move(outcome)); });
        const auto admitted = env.gate->submit(
            net::CallKey{job.node_id, job.attempt}, *call,
            [handle = caf::actor{self}, call = *call](net::HttpResult r) {
              caf::anon_send(handle, outcome_of(call, r));
            });
        if (admitted == net::EndpointGate::Admission::refused)
          promise.deliver(errored("too many calls queued for " + call->url));
        else if (admitted == net::EndpointGate::Admission::already_held)
          promise.deliver(errored("a call of this attempt is still in flight"));
        return promise;
      },
  };
}

}  // namespace backbeat::activity
