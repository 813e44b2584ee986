#include "runtime/operator_cli.hpp"

#include <fstream>
#include <future>
#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/log.hpp"
#include "net/contract/json_text.hpp"
#include "net/http_client.hpp"
#include "runtime/command_errors.hpp"

namespace backbeat::runtime {
namespace {

// Splits "--name value" options off the positional words.
struct Words {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> options;
  std::string option(std::string_view name) const {
    for (const auto& [k, v] : options)
      if (k == name) return v;
    return {};
  }
};

Result<Words> split_words(const std::vector<std::string>& args) {
  Words w;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind("--", 0) != 0) {
      w.positional.push_back(args[i]);
      continue;
    }
    if (i + 1 >= args.size()) return usage_error(args[i] + " needs a value");
    w.options.emplace_back(args[i], args[i + 1]);
    ++i;
  }
  return w;
}

Status only_options(const Words& w, std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : w.options) {
    bool ok = k == "--url" || k == "--token-file";
    for (std::string_view a : allowed) ok = ok || k == a;
    if (!ok) return usage_error("unknown option " + k);
  }
  return ok_status();
}

}  // namespace

bool is_operator_command(std::string_view first) {
  return first == "users" || first == "tree" || first == "errored" || first == "restart" ||
         first == "drain" || first == "retention" || first == "cluster";
}

Result<OperatorRequest> parse_operator_command(const std::vector<std::string>& args) {
  auto words = split_words(args);
  if (!words) return words.error();
  const std::vector<std::string>& p = words->positional;
  OperatorRequest r;
  if (std::string url = words->option("--url"); !url.empty()) r.url = url;
  if (std::string file = words->option("--token-file"); !file.empty()) r.token_file = file;
  const std::string cmd = p.empty() ? "" : p[0];
  const std::string sub = p.size() > 1 ? p[1] : "";

  if (cmd == "users" && sub == "add" && p.size() == 4) {
    if (auto s = only_options(*words, {"--decision-endpoint", "--notification-endpoint"}); !s)
      return s.error();
    nlohmann::json body{{"name", p[2]}, {"activity_endpoint", p[3]}};
    if (auto d = words->option("--decision-endpoint"); !d.empty()) body["decision_endpoint"] = d;
    if (auto n = words->option("--notification-endpoint"); !n.empty())
      body["notification_endpoint"] = n;
    r.method = "POST";
    r.target = "/users";
    r.body = contract::dump_json(body);
  } else if (cmd == "users" && sub == "list" && p.size() == 2) {
    r.method = "GET";
    r.target = "/users";
  } else if (cmd == "users" && (sub == "grant" || sub == "revoke") && p.size() == 4) {
    r.method = sub == "grant" ? "PUT" : "DELETE";
    r.target = "/users/" + p[2] + "/grants/" + p[3];
  } else if (cmd == "users" && sub == "grants" && p.size() == 3) {
    r.method = "GET";
    r.target = "/users/" + p[2] + "/grants";
  } else if (cmd == "users" && sub == "token" && p.size() == 3) {
    r.method = "POST";
    r.target = "/users/" + p[2] + "/token";
  } else if (cmd == "users" && (sub == "disable" || sub == "enable") && p.size() == 3) {
    r.method = sub == "disable" ? "PUT" : "DELETE";
    r.target = "/users/" + p[2] + "/disabled";
  } else if (cmd == "tree" && p.size() == 3) {
    r.method = "GET";
    r.act_as = p[1];
    r.target = "/workflows/" + p[2] + "/tree/print";
    r.print_field = "print";
  } else if (cmd == "errored" && p.size() == 1) {
    r.method = "GET";
    r.target = "/admin/errored";
  } else if (cmd == "restart" && p.size() == 3) {
    r.method = "PUT";
    r.act_as = p[1];
    r.target = "/activities/" + p[2] + "/restart";
  } else if (cmd == "drain" && p.size() == 2 && (sub == "on" || sub == "off" || sub == "status")) {
    r.method = sub == "status" ? "GET" : "PUT";
    r.target = "/admin/drain";
    if (sub != "status") r.body = sub == "on" ? R"({"draining":true})" : R"({"draining":false})";
  } else if (cmd == "retention" && p.size() == 2 && (sub == "status" || sub == "sweep")) {
    r.method = sub == "status" ? "GET" : "POST";
    r.target = sub == "status" ? "/admin/retention" : "/admin/retention/sweep";
  } else if (cmd == "cluster" && p.size() == 2 && sub == "status") {
    r.method = "GET";
    r.target = "/admin/cluster";
  } else if (cmd == "cluster" && p.size() == 3 && (sub == "drain" || sub == "undrain")) {
    r.method = sub == "drain" ? "PUT" : "DELETE";
    r.target = "/admin/cluster/members/" + p[2] + "/drain";
  } else {
    return usage_error("unknown or incomplete command\n" + operator_usage());
  }
  if (cmd != "users" || sub != "add")
    if (auto s = only_options(*words, {}); !s) return s.error();
  return r;
}

std::string operator_usage() {
  return "operator commands (talk to a running node with its admin token: BACKBEAT_ADMIN_TOKEN,\n"
         "or else the file --token-file names, default ./data/admin-token):\n"
         "  backbeat users add NAME ACTIVITY_URL [--decision-endpoint URL]\n"
         "                     [--notification-endpoint URL]\n"
         "  backbeat users list\n"
         "  backbeat users grant|revoke USER_ID OTHER_ID   let USER involve OTHER (client_id,\n"
         "                                        parent_link_id), or no longer\n"
         "  backbeat users grants USER_ID         whom USER may involve\n"
         "  backbeat users token USER_ID          a new token; the old one stops working\n"
         "  backbeat users disable|enable USER_ID refuse every request of USER, or no longer\n"
         "  backbeat tree USER_ID WORKFLOW_ID     print a workflow's tree\n"
         "  backbeat errored                      errored and retries-exhausted nodes\n"
         "  backbeat restart USER_ID NODE_ID      retry a node now\n"
         "  backbeat drain on|off|status          take the node out of the load balancer\n"
         "  backbeat retention status|sweep       retention settings and figures; sweep now\n"
         "  backbeat cluster status               members, partition map and load\n"
         "  backbeat cluster drain|undrain MEMBER move a member's partitions away before\n"
         "                                        removing it (status shows it drained)\n"
         "  every command takes --url URL (default http://127.0.0.1:9292) and --token-file FILE\n";
}

int run_operator_command(const std::vector<std::string>& args, const Getenv& getenv) {
  auto request = parse_operator_command(args);
  if (!request) {
    log::error("backbeat", request.error().message);
    return 2;
  }
  std::string token;
  if (const char* env = getenv("BACKBEAT_ADMIN_TOKEN"); env && *env)
    token = env;
  else
    std::ifstream(request->token_file) >> token;
  if (token.empty()) {
    log::error("backbeat",
               "set BACKBEAT_ADMIN_TOKEN to the node's admin token, or point --token-file at "
               "the node's DATA_DIR/admin-token");
    return 2;
  }
  net::HttpCall call;
  call.method = request->method;
  call.url = request->url + request->target;
  call.body = request->body;
  call.headers.push_back("Authorization: Token token=\"" + token + "\"");
  if (!request->act_as.empty()) call.headers.push_back("Client-Id: " + request->act_as);
  call.timeout = std::chrono::seconds(30);

  std::promise<net::HttpResult> answered;
  net::HttpClient client;
  client.send(std::move(call), [&](net::HttpResult r) { answered.set_value(std::move(r)); });
  net::HttpResult r = answered.get_future().get();
  client.stop();
  if (!r.transport_ok) {
    log::error("backbeat", "cannot reach " + request->url + ": " + r.error);
    return 1;
  }
  auto json = nlohmann::json::parse(r.body, nullptr, false);
  if (!request->print_field.empty() && r.status / 100 == 2 && json.is_object() &&
      json.value(request->print_field, nlohmann::json()).is_string())
    std::cout << json[request->print_field].get<std::string>() << "\n";
  else if (!json.is_discarded())
    std::cout << json.dump(2) << "\n";
  else
    std::cout << r.body << "\n";
  return r.status / 100 == 2 ? 0 : 1;
}

}  // namespace backbeat::runtime
