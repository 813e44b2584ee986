#pragma once
// One API request on its way through a handler: what it asked, who asked,
// and how to answer. Handlers read top-down: validate, load, apply, reply.
#include <memory>
#include <optional>
#include <vector>
#include <string>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/api/api.hpp"
#include "actors/gateway_actor.hpp"
#include "net/http_message.hpp"
#include "net/contract/json_presenters.hpp"

namespace backbeat::actors::api {

struct Call {
  const Services* svc = nullptr;
  const caf::actor* gateway = nullptr;
  const ApiOptions* options = nullptr;
  net::HttpRequest request;
  nlohmann::json params;      // query + body + route, keys snake_cased (docs/contract.md §2.2)
  std::optional<User> user;   // set for authenticated routes
  net::Responder respond;
  // On a cluster member answering a gathered listing: the partitions it
  // lists from, judged once when the request arrived (listed_here).
  std::shared_ptr<const std::vector<bool>> listed;
  // Where reads that may take long run (read_dispatch.hpp); null: inline.
  ReadPool* reads = nullptr;

  void reply(int status, const contract::OrderedJson& body) const;
  // The same with extra headers (a partial listing's, search_cursor.hpp).
  void reply(int status, const contract::OrderedJson& body,
             std::vector<std::pair<std::string, std::string>> headers) const;
  void reply_text(int status, std::string body) const;
  void fail(const Error& error) const;
  const User& me() const { return *user; }
};

Error bad_request(std::string message);

// Sends a command to a workflow's actor; on_ok runs with its answer (on an
// actor thread), errors are answered directly.
void command(Call call, const Uuid& workflow, engine::Event event,
             std::function<void(const Call&, CommandResult&)> on_ok);

}  // namespace backbeat::actors::api
