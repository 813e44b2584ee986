#include "runtime/cli.hpp"
#include "runtime/command_errors.hpp"

#include <array>
#include <cstdint>
#include <string_view>

// CMake may pass the project version; the fallback must track project().
#ifndef BACKBEAT_VERSION
#define BACKBEAT_VERSION "0.1.0"
#endif

namespace backbeat::runtime {
namespace {

struct Flag {
  std::string_view name;
  std::string_view key;  // the config key it overrides
};

// Only the settings operators change per run; everything else lives in the
// config file.
constexpr std::array<Flag, 6> kServeFlags{{
    {"--http-port", "http.port"},
    {"--http-host", "http.host"},
    {"--data-dir", "data_dir"},
    {"--member-id", "cluster.member_id"},
    {"--cluster-port", "cluster.port"},
    {"--join", "cluster.seeds"},  // HOST:PORT of any member
}};

bool is_help(std::string_view a) { return a == "--help" || a == "-h" || a == "help"; }

Result<Command> parse_serve(const std::vector<std::string>& args) {
  Command cmd;
  cmd.kind = Command::Kind::serve;
  for (size_t i = 1; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (is_help(arg)) return Command{Command::Kind::help, {}, {}};
    // Both "--flag value" and "--flag=value".
    std::string_view name = arg;
    std::string value;
    bool has_value = false;
    if (const size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = std::string(arg.substr(eq + 1));
      has_value = true;
    }
    const auto take_value = [&]() -> Status {
      if (has_value) return ok_status();
      if (i + 1 >= args.size()) return usage_error(std::string(name) + " needs a value");
      value = args[++i];
      return ok_status();
    };
    if (name == "--config") {
      if (auto s = take_value(); !s) return s.error();
      if (value.empty()) return usage_error("--config needs a file name");
      cmd.config_path = value;
      continue;
    }
    const Flag* flag = nullptr;
    for (const Flag& f : kServeFlags)
      if (f.name == name) flag = &f;
    if (!flag) return usage_error("unknown option '" + std::string(arg) + "' for serve");
    if (auto s = take_value(); !s) return s.error();
    cmd.overrides.emplace_back(std::string(flag->key), value);
  }
  return cmd;
}

}  // namespace

Result<Command> parse_command_line(const std::vector<std::string>& args) {
  if (args.empty()) return usage_error("no command given");
  const std::string& first = args[0];
  if (is_help(first)) return Command{Command::Kind::help, {}, {}};
  if (first == "version" || first == "--version") {
    if (args.size() > 1) return usage_error("version takes no arguments");
    return Command{Command::Kind::version, {}, {}};
  }
  if (first == "serve") return parse_serve(args);
  if (first == "echo-endpoint") {
    Command cmd{Command::Kind::echo_endpoint, {}, {}};
    if (args.size() == 1) return cmd;
    int port = -1;
    if (args.size() == 3 && args[1] == "--port") {
      try {
        size_t used = 0;
        port = std::stoi(args[2], &used);
        if (used != args[2].size()) port = -1;
      } catch (const std::exception&) {
      }
    }
    if (port < 0 || port > 65535) return usage_error("usage: backbeat echo-endpoint [--port N]");
    cmd.echo_port = uint16_t(port);
    return cmd;
  }
  return usage_error("unknown command '" + first + "'");
}

std::string usage() {
  std::string text =
      "usage: backbeat serve [--config FILE] [--http-port N] [--http-host H] [--data-dir DIR]\n"
      "                      [--member-id ID --cluster-port N [--join HOST:PORT]]\n"
      "       backbeat echo-endpoint [--port N]   (default 9393)\n"
      "       backbeat cluster certs DIR --members ID,... [--new-ca]   (the members' TLS files)\n"
      "       backbeat version\n"
      "       backbeat --help\n"
      "\n"
      "       backbeat users|tree|errored|restart|drain|retention ...   (operator commands)\n"
      "\n"
      "echo-endpoint is a stand-in client service for trying Backbeat by hand:\n"
      "it prints each callback it receives and answers 200.\n"
      "\n"
      "serve runs one Backbeat node until SIGINT or SIGTERM. It prints\n"
      "'admin token: in FILE' (or 'from BACKBEAT_ADMIN_TOKEN') and then\n"
      "'listening on http://HOST:PORT' once it accepts requests (https://\n"
      "when http.tls_cert and http.tls_key are set). Flags override the\n"
      "config file; --http-port 0 picks a free port.\n"
      "\n"
      "environment:\n"
      "  BACKBEAT_ADMIN_TOKEN         token for /users and /admin; when unset,\n"
      "                               the one in DATA_DIR/admin-token (0600),\n"
      "                               made at the first start\n"
      "  BACKBEAT_REQUIRE_AUTH_TOKEN  true/false, overrides auth.require_token\n"
      "\n"
      "config file keys ('key = value', '# comments', '[section]' prefixes\n"
      "'section.' to the keys below it), with their defaults; one user's\n"
      "quota in place of the default: quotas.user.<user id>.<quota> = N\n"
      "(or a [quotas.user.<user id>] section):\n";
  const std::string defaults = render_config(Config{});
  size_t start = 0;
  while (start < defaults.size()) {
    const size_t nl = defaults.find('\n', start);
    text += "  " + defaults.substr(start, nl - start + 1);
    start = nl + 1;
  }
  return text;
}

std::string version_text() { return std::string("backbeat ") + BACKBEAT_VERSION + "\n"; }

Result<Config> resolve_config(const Command& command, const Getenv& getenv) {
  Result<Config> config =
      command.config_path.empty() ? Result<Config>(Config{}) : load_config_file(command.config_path);
  if (!config) return config;
  if (const char* env = getenv("BACKBEAT_REQUIRE_AUTH_TOKEN"); env && *env) {
    auto b = parse_bool(env);
    if (!b) return usage_error("BACKBEAT_REQUIRE_AUTH_TOKEN: " + b.error().message);
    config->require_auth_token = *b;
  }
  for (const auto& [key, value] : command.overrides)
    if (auto s = set_config_value(*config, key, value); !s)
      return usage_error("command line: " + s.error().message);
  return config;
}

}  // namespace backbeat::runtime
