#pragma once
// What the operator asked for: the command line and the environment, turned
// into a command and the config it runs with. No I/O beyond reading the
// config file, so all of it is testable without starting anything.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/config.hpp"
#include "engine/result.hpp"

namespace backbeat::runtime {

struct Command {
  enum class Kind { serve, help, version, echo_endpoint };
  Kind kind = Kind::help;
  std::string config_path;  // empty: the built-in defaults
  // (config key, value) from flags, in command-line order; they beat the file.
  std::vector<std::pair<std::string, std::string>> overrides;
  uint16_t echo_port = 9393;  // echo-endpoint only
};

// `args` excludes the program name. Errors are usage errors (exit 2).
Result<Command> parse_command_line(const std::vector<std::string>& args);

std::string usage();
std::string version_text();

// Passed in rather than read from the process so tests need no setenv().
using Getenv = std::function<const char*(const char*)>;

// File (or defaults), then the environment, then flags: the nearer to the
// invocation, the stronger.
Result<Config> resolve_config(const Command& command, const Getenv& getenv);


}  // namespace backbeat::runtime
