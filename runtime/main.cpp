// The `backbeat` binary. Exit codes: 0 after a clean stop, 1 when the node
// cannot start, 2 for bad usage or a bad config.
#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "engine/log.hpp"
#include "runtime/certs_command.hpp"
#include "runtime/cli.hpp"
#include "runtime/cluster/link_security.hpp"
#include "runtime/config.hpp"
#include "runtime/echo_endpoint.hpp"
#include "runtime/node.hpp"
#include "runtime/operator_cli.hpp"
#include "runtime/secrets_on_disk.hpp"

namespace {

using namespace backbeat::runtime;

int usage_error(const std::string& message) {
  backbeat::log::error("backbeat", message);
  std::cerr << "\n" << usage();
  return 2;
}

// IPv6 literals need brackets in a URL.
std::string url_host(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

int serve(const Command& command) {
  const Getenv env = [](const char* name) { return std::getenv(name); };
  auto config = resolve_config(command, env);
  if (!config) {
    backbeat::log::error("backbeat", config.error().message);
    return 2;
  }
  backbeat::log::configure(*backbeat::log::parse_level(config->log_level),
                           *backbeat::log::parse_format(config->log_format));
  if (config->open_cross_user)
    backbeat::log::warning(
        "backbeat",
        "auth.open_cross_user is on: any user may hand nodes to any other (client_id) "
        "and make them wait (parent_link_id), as the original allowed; turn it off "
        "once clients have their grants (docs/security.md)");
  auto links = backbeat::cluster::link_security(*config);
  if (!links) {
    backbeat::log::error("backbeat", links.error().message);
    return 2;
  }
  if (!links->warning.empty()) backbeat::log::warning("backbeat", links->warning);
  // Whatever the node writes (RocksDB files, the admin token, archives) is
  // its user's alone.
  umask(077);
  if (auto s = secure_data_dir(config->data_dir); !s) {
    backbeat::log::error("backbeat", s.error().message);
    return 1;
  }
  auto token = admin_token(env("BACKBEAT_ADMIN_TOKEN"), config->data_dir);
  if (!token) {
    backbeat::log::error("backbeat", token.error().message);
    return 1;
  }
  // Tools and tests read these lines through a pipe: flush each at once.
  // Never the token itself: terminals and logs keep what they are shown.
  if (token->source == "BACKBEAT_ADMIN_TOKEN")
    std::cout << "admin token: (from BACKBEAT_ADMIN_TOKEN)" << std::endl;
  else
    std::cout << "admin token: in " << token->source << std::endl;

  auto node = Node::start(*config, NodeSecrets{token->value});
  if (!node) {
    backbeat::log::error("backbeat", node.error().message);
    return 1;
  }
  if (const uint16_t cluster_port = (*node)->cluster_port())
    std::cout << "cluster member " << config->cluster_member_id << " on " << config->cluster_host
              << ":" << cluster_port << (links->tls ? " (mutual TLS)" : " (plaintext)") << std::endl;
  std::cout << "listening on " << (config->http_tls_cert.empty() ? "http" : "https") << "://"
            << url_host((*node)->http_host()) << ":"
            << (*node)->http_port() << std::endl;
  const int sig = (*node)->wait_for_shutdown_signal();
  // Turned away first, announced second: whoever reads the line knows no
  // new command is taken any more.
  (*node)->begin_stop();
  backbeat::log::info("backbeat", sig == SIGINT ? "SIGINT, stopping" : "SIGTERM, stopping");
  (*node)->stop();
  std::cout << "stopped" << std::endl;
  return 0;
}

int run(int argc, char** argv) {
  // A client hanging up mid-response must cost a write error, not the process.
  signal(SIGPIPE, SIG_IGN);
  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  if (is_certs_command(args)) return run_certs_command(args);  // before the HTTP "cluster ..." ones
  if (!args.empty() && is_operator_command(args[0]))
    return run_operator_command(args, [](const char* name) { return std::getenv(name); });
  auto command = parse_command_line(args);
  if (!command) return usage_error(command.error().message);
  switch (command->kind) {
    case Command::Kind::help:
      std::cout << usage() << "\n" << operator_usage();
      return 0;
    case Command::Kind::version:
      std::cout << version_text();
      return 0;
    case Command::Kind::serve:
      return serve(*command);
    case Command::Kind::echo_endpoint:
      return run_echo_endpoint(command->echo_port);
  }
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Errors are values everywhere else; this only catches what no one
  // expected (allocation failure), so it is reported instead of aborting.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    backbeat::log::error("backbeat", std::string("fatal: ") + e.what());
    return 1;
  }
}
