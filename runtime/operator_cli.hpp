#pragma once
// The operator's commands (`backbeat users|tree|errored|restart|drain`). They
// talk to a running node over its own HTTP API with the admin token, so they
// work the same against any node and need no access to its data directory.
#include <string>
#include <string_view>
#include <vector>

#include "runtime/cli.hpp"

namespace backbeat::runtime {

struct OperatorRequest {
  std::string url = "http://127.0.0.1:9292";  // --url
  std::string method;
  std::string target;
  std::string body;     // JSON, empty for none
  std::string act_as;   // a user id sent as Client-Id: the admin acting for a user
  std::string print_field;  // print this string field raw instead of the JSON
  // Where the admin token is read when BACKBEAT_ADMIN_TOKEN is unset
  // (--token-file): the file a node makes in its data dir.
  std::string token_file = "./data/admin-token";
};

bool is_operator_command(std::string_view first);

// `args` excludes the program name; usage errors name what is wrong.
Result<OperatorRequest> parse_operator_command(const std::vector<std::string>& args);

std::string operator_usage();

// Sends the request with BACKBEAT_ADMIN_TOKEN (or the token file's token),
// prints the answer; the exit
// code is 0 for a 2xx answer, 1 otherwise, 2 for bad usage.
int run_operator_command(const std::vector<std::string>& args, const Getenv& getenv);

}  // namespace backbeat::runtime
