#include "actors/api/api.hpp"

#include <exception>
#include <random>

#include "actors/api/auth.hpp"
#include "actors/api/routing.hpp"

namespace backbeat::actors::api {
namespace {

// Seven characters that tell one request's log lines from another's (§9.5).
std::string transaction_id() {
  static constexpr char kDigits[] = "0123456789abcdef";
  thread_local std::mt19937 rng{std::random_device{}()};
  std::string tid(7, '0');
  for (char& c : tid) c = kDigits[rng() % 16];
  return tid;
}

}  // namespace

Api::Api(const Services* svc, caf::actor gateway, ApiOptions options)
    : svc_(svc), gateway_(std::move(gateway)), options_(std::move(options)) {}

void Api::handle(net::HttpRequest&& request, net::Responder respond) const {
  net::Responder counted = [svc = svc_, tid = transaction_id(),
                            respond = std::move(respond)](net::HttpResponse r) {
    svc->metrics.count_response(r.status);
    r.headers.emplace_back("X-backbeat-tid", tid);
    respond(std::move(r));
  };
  Call call{svc_, &gateway_, &options_, std::move(request), {}, std::nullopt, std::move(counted)};
  try {
    auto found = find_route(call.request.method, call.request.path());
    if (!found) return call.fail(found.error());
    const Route* route = found->route;
    auto params = request_params(call.request, found->captured);
    if (!params) return call.fail(params.error());
    call.params = std::move(*params);
    if (route->access == Access::admin) {
      if (auto ok = authenticate_admin(call); !ok) return call.fail(ok.error());
    } else if (route->access == Access::user) {
      auto user = authenticate_user(call);
      if (!user) return call.fail(user.error());
      call.user = std::move(*user);
    }
    route->handler(std::move(call));
  } catch (const std::exception& e) {
    // A handler bug must cost one request, never the node. Once the call
    // has moved into a handler, its dropped responder answers 500 instead.
    if (call.respond) call.fail(make_error(Error::Kind::internal, "Backbeat::InternalError", e.what()));
  }
}

}  // namespace backbeat::actors::api
