#include <boost/test/unit_test.hpp>

#include <fstream>
#include <map>

#include "runtime/cli.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::runtime::test {
namespace {

struct FakeEnv {
  std::map<std::string, std::string> vars;
  Getenv getter() const {
    return [this](const char* name) -> const char* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

Result<Command> parse(std::vector<std::string> args) { return parse_command_line(args); }

}  // namespace

BOOST_AUTO_TEST_SUITE(command_line)

BOOST_AUTO_TEST_CASE(commands) {
  BOOST_TEST((parse({"--help"})->kind == Command::Kind::help));
  BOOST_TEST((parse({"-h"})->kind == Command::Kind::help));
  BOOST_TEST((parse({"version"})->kind == Command::Kind::version));
  BOOST_TEST((parse({"serve", "--help"})->kind == Command::Kind::help));
  auto serve = parse({"serve"});
  BOOST_REQUIRE(serve.ok());
  BOOST_TEST((serve->kind == Command::Kind::serve));
  BOOST_TEST(serve->config_path.empty());
  BOOST_TEST(serve->overrides.empty());
}

BOOST_AUTO_TEST_CASE(echo_endpoint_command) {
  auto plain = parse({"echo-endpoint"});
  BOOST_REQUIRE(plain.ok());
  BOOST_TEST((plain->kind == Command::Kind::echo_endpoint));
  BOOST_TEST(plain->echo_port == 9393);
  BOOST_TEST(parse({"echo-endpoint", "--port", "0"})->echo_port == 0);
  BOOST_TEST(!parse({"echo-endpoint", "--port", "70000"}).ok());
  BOOST_TEST(!parse({"echo-endpoint", "--port", "12x"}).ok());
  BOOST_TEST(!parse({"echo-endpoint", "--nope"}).ok());
}

BOOST_AUTO_TEST_CASE(bad_usage_is_an_error) {
  BOOST_TEST(!parse({}).ok());
  BOOST_TEST(!parse({"frobnicate"}).ok());
  BOOST_TEST(!parse({"version", "extra"}).ok());
  BOOST_TEST(!parse({"serve", "--nope"}).ok());
  BOOST_TEST(!parse({"serve", "--http-port"}).ok());
  BOOST_TEST(!parse({"serve", "--config"}).ok());
  BOOST_TEST(!parse({"serve", "stray"}).ok());
}

BOOST_AUTO_TEST_CASE(flags_in_both_spellings) {
  auto c = parse({"serve", "--config", "f", "--http-port=0", "--http-host", "::1",
                  "--data-dir=/tmp/x"});
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->config_path == "f");
  BOOST_REQUIRE(c->overrides.size() == 3u);
  BOOST_TEST(c->overrides[0].first == "http.port");
  BOOST_TEST(c->overrides[0].second == "0");
  BOOST_TEST(c->overrides[1].first == "http.host");
  BOOST_TEST(c->overrides[2].second == "/tmp/x");
}

BOOST_AUTO_TEST_CASE(flags_override_the_file_and_the_file_overrides_defaults) {
  backbeat::test::TempDir dir;
  const std::string path = dir.str() + "/node.conf";
  std::ofstream(path) << "data_dir = from-file\n[http]\nport = 1111\nhost = 10.0.0.1\n";
  auto cmd = parse({"serve", "--config", path, "--http-port", "2222", "--data-dir", "from-flag"});
  BOOST_REQUIRE(cmd.ok());
  auto c = resolve_config(*cmd, FakeEnv{}.getter());
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->http_port == 2222);
  BOOST_TEST(c->data_dir == "from-flag");
  BOOST_TEST(c->http_host == "10.0.0.1");  // from the file, no flag
  BOOST_TEST(c->timer_window_s == 600);    // default, in neither
}

BOOST_AUTO_TEST_CASE(a_bad_flag_value_is_an_error_naming_the_key) {
  auto cmd = parse({"serve", "--http-port", "http"});
  BOOST_REQUIRE(cmd.ok());
  auto c = resolve_config(*cmd, FakeEnv{}.getter());
  BOOST_REQUIRE(!c.ok());
  BOOST_TEST(c.error().message.find("http.port") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_missing_config_file_is_an_error) {
  auto cmd = parse({"serve", "--config", "/nonexistent/backbeat.conf"});
  BOOST_REQUIRE(cmd.ok());
  BOOST_TEST(!resolve_config(*cmd, FakeEnv{}.getter()).ok());
}

BOOST_AUTO_TEST_CASE(environment_may_relax_auth) {
  auto cmd = parse({"serve"});
  FakeEnv env;
  env.vars["BACKBEAT_REQUIRE_AUTH_TOKEN"] = "false";
  auto relaxed = resolve_config(*cmd, env.getter());
  BOOST_REQUIRE(relaxed.ok());
  BOOST_TEST(!relaxed->require_auth_token);
  env.vars["BACKBEAT_REQUIRE_AUTH_TOKEN"] = "perhaps";
  BOOST_TEST(!resolve_config(*cmd, env.getter()).ok());
}

BOOST_AUTO_TEST_CASE(usage_lists_every_config_key) {
  const std::string text = usage();
  for (const std::string& key : config_keys()) BOOST_TEST(text.find(key) != std::string::npos, key);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::runtime::test
