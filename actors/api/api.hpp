#pragma once
// The HTTP API of the original Backbeat (docs/contract.md), as one
// handler the HTTP server calls for every request. Routing, authentication
// and parameter handling happen here on the HTTP thread; point reads come
// straight from the store (it only ever holds durable state), reads that
// may take long run on the read pool (read_pool.hpp), changes go to the
// workflow's actor through the gateway.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <caf/all.hpp>

#include "actors/secrets.hpp"
#include "actors/services.hpp"
#include "net/http_message.hpp"

namespace backbeat::actors::api {

// What bounds one read (docs/api.md, "Paging and limits").
struct ReadLimits {
  size_t threads = 2;            // http.read_threads: the read pool
  size_t queue_per_user = 32;    // http.read_queue_per_user: waiting reads, then 503
  size_t scan_budget = 20000;    // search.scan_budget: index entries per search
  size_t max_page_depth = 10000;  // search.max_page_depth: page x per_page
  size_t max_tree_nodes = 10000;  // http.max_tree_nodes: nodes in one unpaged answer
};

struct ApiOptions {
  std::string admin_token;        // guards /users; Api keeps only its digest
  // The user's token on every authenticated route. Off, reads (GET, HEAD)
  // take the Client-Id alone; changes still need the token.
  bool require_auth_token = true;
  ReadLimits reads;
  std::optional<Digest> admin_digest;  // set by Api from admin_token
};

class ReadPool;

class Api {
 public:
  Api(const Services* svc, caf::actor gateway, ApiOptions options);
  ~Api();  // waits for the reads running on the read pool
  // From a client: internal X-Backbeat-* headers are dropped first.
  void handle(net::HttpRequest&& request, net::Responder respond) const;
  // From another member of the cluster (its node agent), headers kept.
  void handle_from_member(net::HttpRequest&& request, net::Responder respond) const;

 private:
  const Services* svc_;
  caf::actor gateway_;
  ApiOptions options_;
  std::unique_ptr<ReadPool> reads_;  // last: its threads use the members above
};

}  // namespace backbeat::actors::api
