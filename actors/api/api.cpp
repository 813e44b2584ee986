#include "actors/api/api.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <random>

#include "actors/api/auth.hpp"
#include "actors/api/cluster_routing.hpp"
#include "actors/api/read_dispatch.hpp"
#include "actors/api/read_pool.hpp"
#include "actors/api/routing.hpp"
#include "engine/log.hpp"

namespace backbeat::actors::api {
namespace {

// Seven characters that tell one request's log lines from another's
// (docs/contract.md §9.5).
std::string transaction_id() {
  static constexpr char kDigits[] = "0123456789abcdef";
  thread_local std::mt19937 rng{std::random_device{}()};
  std::string tid(7, '0');
  for (char& c : tid) c = kDigits[rng() % 16];
  return tid;
}

constexpr std::string_view kTidHeader = "X-backbeat-tid";

bool has_tid(const net::HttpResponse& r) {
  return std::any_of(r.headers.begin(), r.headers.end(),
                     [](const auto& h) { return h.first == kTidHeader; });
}

}  // namespace

Api::Api(const Services* svc, caf::actor gateway, ApiOptions options)
    : svc_(svc),
      gateway_(std::move(gateway)),
      options_(std::move(options)),
      reads_(std::make_unique<ReadPool>(
          ReadPoolOptions{options_.reads.threads, options_.reads.queue_per_user})) {
  // Compared as digests, so the comparison's time says nothing of the
  // token, not even its length.
  if (!options_.admin_token.empty()) options_.admin_digest = sha256(options_.admin_token);
  options_.admin_token.clear();
}

Api::~Api() = default;

void Api::handle(net::HttpRequest&& request, net::Responder respond) const {
  // X-Backbeat-* request headers are how members talk to each other (a
  // forwarded request runs here without routing); a client may not send them.
  std::erase_if(request.headers, [](const auto& h) {
    static constexpr std::string_view kPrefix = "x-backbeat-";
    return h.first.size() >= kPrefix.size() &&
           std::equal(kPrefix.begin(), kPrefix.end(), h.first.begin(),
                      [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
  });
  handle_from_member(std::move(request), std::move(respond));
}

void Api::handle_from_member(net::HttpRequest&& request, net::Responder respond) const {
  net::Responder counted = [svc = svc_, tid = transaction_id(),
                            respond = std::move(respond)](net::HttpResponse r) {
    svc->metrics.count_response(r.status);
    // An answer forwarded from another member keeps the tid it was served
    // under, and that member logged it.
    if (has_tid(r)) return respond(std::move(r));
    // A 5xx other than load shedding is our failure: logged under the tid the
    // client is given, so its report finds the line.
    if (r.status >= 500 && r.status != 503)
      log::write(log::Level::error, "api",
                 "answered " + std::to_string(r.status) + ": " + r.body.substr(0, 300), tid);
    r.headers.emplace_back(kTidHeader, tid);
    respond(std::move(r));
  };
  Call call{svc_, &gateway_, &options_, std::move(request), {}, std::nullopt, std::move(counted),
            nullptr, reads_.get()};
  try {
    auto found = find_route(call.request.method, call.request.path());
    if (!found) return call.fail(found.error());
    const Route* route = found->route;
    auto params = request_params(call.request, found->captured);
    if (!params) return call.fail(params.error());
    call.params = std::move(*params);
    if (route->access == Access::admin) {
      if (auto ok = authenticate_admin(call); !ok) return call.fail(ok.error());
    } else if (route->access == Access::members_only) {
      if (call.request.header(kForwardedHeader).empty())
        return call.fail(make_error(
            Error::Kind::no_route,
            "No route for " + call.request.method + " " + std::string(call.request.path())));
    } else if (route->access == Access::user) {
      auto user = authenticate_user(call);
      if (!user) return call.fail(user.error());
      call.user = std::move(*user);
    }
    if (svc_->cluster) return run_in_cluster(std::move(call), *route);
    serve(*route, std::move(call));
  } catch (const std::exception& e) {
    // A handler bug must cost one request, never the node. Once the call
    // has moved into a handler, its dropped responder answers 500 instead.
    if (call.respond) call.fail(make_error(Error::Kind::internal, e.what()));
  }
}

}  // namespace backbeat::actors::api
