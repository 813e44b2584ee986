// backbeat-seed: fills a data dir with idle workflows for memory runs
// (docs/benchmarks.md, "Bounded memory"). The server must not be running on
// the dir. Prints the user's id and token, so a driver can act as it.
#include <charconv>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>

#include "tests/seed/seeder.hpp"

namespace {

constexpr const char* kUsage =
    "usage: backbeat-seed --data-dir DIR --workflows N --endpoint-base URL\n"
    "                     [--user-name NAME] [--token TOKEN]\n"
    "Writes N workflows (half with an activity waiting at the client, half\n"
    "finished) for one new user whose endpoints are URL/decision, /activity\n"
    "and /notification.\n";

bool parse_count(std::string_view text, uint64_t& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
  backbeat::seed::SeedOptions o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (i + 1 >= argc) {
      std::cerr << "backbeat-seed: " << flag << " needs a value\n" << kUsage;
      return 2;
    }
    const std::string value = argv[++i];
    if (flag == "--data-dir") o.data_dir = value;
    else if (flag == "--endpoint-base") o.endpoint_base = value;
    else if (flag == "--user-name") o.user_name = value;
    else if (flag == "--token") o.auth_token = value;
    else if (flag == "--workflows" && parse_count(value, o.workflows)) continue;
    else {
      std::cerr << "backbeat-seed: bad argument " << flag << " " << value << "\n" << kUsage;
      return 2;
    }
  }
  if (o.data_dir.empty() || o.endpoint_base.empty() || o.auth_token.size() < 16) {
    std::cerr << "backbeat-seed: --data-dir and --endpoint-base are required; a token needs "
                 "16 characters\n"
              << kUsage;
    return 2;
  }
  o.progress = [&](uint64_t written) {
    if (written % 100000 == 0 || written == o.workflows)
      std::cerr << "  " << written << " / " << o.workflows << std::endl;
  };
  auto r = backbeat::seed::seed_idle_workflows(o);
  if (!r) {
    std::cerr << "backbeat-seed: " << r.error().message << std::endl;
    return 1;
  }
  std::cout << "seeded " << r->workflows << " workflows (" << r->waiting
            << " waiting at the client) in " << r->seconds << " s\n"
            << "user id " << r->user_id.str() << "\n"
            << "token " << o.auth_token << std::endl;
  return 0;
}
