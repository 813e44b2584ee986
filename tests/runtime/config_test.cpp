#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include "runtime/config.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::runtime::test {

// Messages are compared by substring: the exact wording may improve, the
// key or line it names must not go missing.
bool mentions(const Error& e, const std::string& text) {
  return e.message.find(text) != std::string::npos;
}

BOOST_AUTO_TEST_SUITE(config_file)

BOOST_AUTO_TEST_CASE(defaults_match_the_documented_single_node_values) {
  const Config c;
  BOOST_TEST(c.http_host == "127.0.0.1");
  BOOST_TEST(c.http_port == 9292);
  BOOST_TEST(c.http_io_threads == 1);
  BOOST_TEST(c.http_max_body_bytes == 1048576u);
  BOOST_TEST(c.data_dir == "./data");
  BOOST_TEST(c.require_auth_token);
  BOOST_TEST(c.client_timeout_s == 172800);
  BOOST_TEST(c.max_retry_delay_s == 3600);
  BOOST_TEST(c.callback_connect_timeout_ms == 5000);
  BOOST_TEST(c.callback_timeout_ms == 60000);
  BOOST_TEST(c.passivate_after_s == 30);
  BOOST_TEST(c.timer_window_s == 600);
  BOOST_TEST(c.timer_rescan_s == 60);
  BOOST_TEST(c.caf_max_threads == 2);
  BOOST_TEST(c.caf_moderate_poll_attempts == 0);
}

BOOST_AUTO_TEST_CASE(empty_text_gives_the_defaults) {
  auto c = parse_config("");
  BOOST_REQUIRE(c.ok());
  BOOST_TEST((*c == Config{}));
  auto only_comments = parse_config("# nothing\n\n   # still nothing\n");
  BOOST_REQUIRE(only_comments.ok());
  BOOST_TEST((*only_comments == Config{}));
}

BOOST_AUTO_TEST_CASE(keys_override_defaults_and_leave_the_rest) {
  auto c = parse_config("data_dir = /var/lib/backbeat\nhttp.port = 8080\nauth.require_token = false\n");
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->data_dir == "/var/lib/backbeat");
  BOOST_TEST(c->http_port == 8080);
  BOOST_TEST(!c->require_auth_token);
  BOOST_TEST(c->http_host == "127.0.0.1");
  BOOST_TEST(c->timer_rescan_s == 60);
}

BOOST_AUTO_TEST_CASE(sections_prefix_their_keys) {
  auto c = parse_config(
      "data_dir = d\n"
      "[http]\n"
      "host = 0.0.0.0\n"
      "port = 0\n"
      "[ timers ]   # spaces and a comment are fine\n"
      "window_s = 120\n"
      "[caf]\n"
      "max_threads = 4\n");
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->data_dir == "d");
  BOOST_TEST(c->http_host == "0.0.0.0");
  BOOST_TEST(c->http_port == 0);
  BOOST_TEST(c->timer_window_s == 120);
  BOOST_TEST(c->caf_max_threads == 4);
}

BOOST_AUTO_TEST_CASE(a_key_inside_a_section_is_not_found_at_top_level) {
  auto c = parse_config("[http]\ndata_dir = x\n");
  BOOST_REQUIRE(!c.ok());
  BOOST_TEST(mentions(c.error(), "http.data_dir"));
}

BOOST_AUTO_TEST_CASE(comments_crlf_and_quotes) {
  auto c = parse_config(
      "# leading comment\r\n"
      "http.host = localhost   # trailing comment\r\n"
      "data_dir = \"/tmp/with #hash \"  # quoted keeps it all\r\n"
      "   \t\r\n");
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->http_host == "localhost");
  BOOST_TEST(c->data_dir == "/tmp/with #hash ");
  auto hash_inside = parse_config("data_dir = a#b\n");
  BOOST_REQUIRE(hash_inside.ok());
  BOOST_TEST(hash_inside->data_dir == "a#b");
}

BOOST_AUTO_TEST_CASE(unknown_key_is_an_error_naming_key_and_line) {
  auto c = parse_config("http.port = 1\nhttp.prot = 2\n", {}, "my.conf");
  BOOST_REQUIRE(!c.ok());
  BOOST_TEST(mentions(c.error(), "http.prot"));
  BOOST_TEST(mentions(c.error(), "my.conf:2"));
}

BOOST_AUTO_TEST_CASE(bad_numbers_are_errors) {
  for (const char* text : {"http.port = abc", "http.port = 70000", "http.port = -1",
                           "http.port = 12x", "http.port =", "http.io_threads = 0",
                           "timers.rescan_s = 1.5", "engine.client_timeout_s = 99999999999999999999"}) {
    auto c = parse_config(text);
    BOOST_TEST(!c.ok(), text);
    if (!c.ok()) BOOST_TEST(mentions(c.error(), std::string(text).substr(0, std::string(text).find(' '))));
  }
}

BOOST_AUTO_TEST_CASE(bad_booleans_and_empty_strings_are_errors) {
  BOOST_TEST(!parse_config("auth.require_token = maybe").ok());
  BOOST_TEST(!parse_config("data_dir =").ok());
  BOOST_TEST(!parse_config("data_dir = \"\"").ok());
  for (const char* yes : {"true", "yes", "on", "1"}) BOOST_TEST(parse_bool(yes).ok());
  for (const char* no : {"false", "no", "off", "0"}) BOOST_TEST((parse_bool(no).ok() && !*parse_bool(no)));
}

BOOST_AUTO_TEST_CASE(malformed_lines_are_errors) {
  BOOST_TEST(!parse_config("just words\n").ok());
  BOOST_TEST(!parse_config("[http\nport = 1\n").ok());
  BOOST_TEST(!parse_config("[]\n").ok());
  BOOST_TEST(!parse_config("= 5\n").ok());
  BOOST_TEST(!parse_config("data_dir = \"open\n").ok());
  BOOST_TEST(!parse_config("data_dir = \"a\" b\n").ok());
}

BOOST_AUTO_TEST_CASE(a_key_given_twice_is_an_error) {
  auto c = parse_config("http.port = 1\n[http]\nport = 2\n");
  BOOST_REQUIRE(!c.ok());
  BOOST_TEST(mentions(c.error(), "duplicate"));
  BOOST_TEST(mentions(c.error(), "http.port"));
}

BOOST_AUTO_TEST_CASE(render_reads_back_to_the_same_config) {
  Config c;
  c.http_host = "::1";
  c.http_port = 0;
  c.data_dir = " spaced #dir";
  c.require_auth_token = false;
  c.caf_moderate_poll_attempts = 7;
  auto back = parse_config(render_config(c));
  BOOST_REQUIRE(back.ok());
  BOOST_TEST((*back == c));
  BOOST_TEST(config_keys().size() == 16u);
}

BOOST_AUTO_TEST_CASE(files_load_and_missing_files_fail) {
  backbeat::test::TempDir dir;
  const std::string path = dir.str() + "/node.conf";
  std::ofstream(path) << "[http]\nport = 1234\n";
  auto c = load_config_file(path);
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->http_port == 1234);
  auto missing = load_config_file(dir.str() + "/nope");
  BOOST_REQUIRE(!missing.ok());
  BOOST_TEST(mentions(missing.error(), "nope"));
}

BOOST_AUTO_TEST_CASE(the_shipped_single_node_config_parses) {
  // CMake compiles sources by absolute path, so the repository is two
  // folders above this file.
  const auto repo = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
  auto c = load_config_file((repo / "cluster-configs" / "single-node").string());
  BOOST_REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
  BOOST_TEST(c->http_host == "127.0.0.1");
  BOOST_TEST(c->http_port == 9292);
  BOOST_TEST(c->data_dir == "./data");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::runtime::test
