#pragma once
// The HTTP API of the original Backbeat (shared/backbeat-api.md), as one
// handler the HTTP server calls for every request. Routing, authentication
// and parameter handling happen here on the HTTP thread; reads come straight
// from the store (it only ever holds durable state), changes go to the
// workflow's actor through the gateway.
#include <memory>
#include <optional>
#include <string>

#include <caf/all.hpp>

#include "actors/secrets.hpp"
#include "actors/services.hpp"
#include "net/http_message.hpp"

namespace backbeat::actors::api {

struct ApiOptions {
  std::string admin_token;        // guards /users; Api keeps only its digest
  // The user's token on every authenticated route. Off, reads (GET, HEAD)
  // take the Client-Id alone; changes still need the token.
  bool require_auth_token = true;
  std::optional<Digest> admin_digest;  // set by Api from admin_token
};

class Api {
 public:
  Api(const Services* svc, caf::actor gateway, ApiOptions options);
  // From a client: internal X-Backbeat-* headers are dropped first.
  void handle(net::HttpRequest&& request, net::Responder respond) const;
  // From another member of the cluster (its node agent), headers kept.
  void handle_from_member(net::HttpRequest&& request, net::Responder respond) const;

 private:
  const Services* svc_;
  caf::actor gateway_;
  ApiOptions options_;
};

}  // namespace backbeat::actors::api
