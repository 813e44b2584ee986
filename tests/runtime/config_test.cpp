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
  BOOST_TEST(c.max_commands_per_workflow == 1000);
  BOOST_TEST(c.callback_per_endpoint_concurrency == 32);
  BOOST_TEST(c.callback_max_queued == 20000);
  BOOST_TEST(c.callback_max_queued_per_endpoint == 5000);
  BOOST_TEST(c.callback_rescan_s == 10);
  BOOST_TEST(c.timer_window_s == 600);
  BOOST_TEST(c.timer_rescan_s == 60);
  BOOST_TEST(c.caf_max_threads == 2);
  BOOST_TEST(c.caf_moderate_poll_attempts == 0);
  BOOST_TEST(c.retention_completed_after_s == 0);  // off: nothing is ever deleted unasked
  BOOST_TEST(c.retention_sweep_interval_s == 600);
  BOOST_TEST(c.retention_archive_dir.empty());
  BOOST_TEST(c.retention_batch_size == 500);
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

BOOST_AUTO_TEST_CASE(memory_limits_are_read_and_checked) {
  auto c = parse_config(
      "[callbacks]\n"
      "per_endpoint_concurrency = 4\n"
      "max_queued = 0\n"
      "max_queued_per_endpoint = 7\n"
      "rescan_s = 2\n"
      "[actors]\n"
      "max_commands_per_workflow = 0\n");
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->callback_per_endpoint_concurrency == 4);
  BOOST_TEST(c->callback_max_queued == 0);  // 0: every callback waits on disk
  BOOST_TEST(c->callback_max_queued_per_endpoint == 7);
  BOOST_TEST(c->callback_rescan_s == 2);
  BOOST_TEST(c->max_commands_per_workflow == 0);  // 0: every command is refused
  for (const char* text :
       {"callbacks.per_endpoint_concurrency = 0", "callbacks.per_endpoint_concurrency = 10001",
        "callbacks.max_queued = -1", "callbacks.max_queued_per_endpoint = x",
        "callbacks.rescan_s = 0", "callbacks.rescan_s = 86401",
        "actors.max_commands_per_workflow = -5", "actors.max_commands_per_workflow = 1e3"}) {
    auto bad = parse_config(text);
    BOOST_TEST(!bad.ok(), text);
    if (!bad.ok()) BOOST_TEST(mentions(bad.error(), std::string(text).substr(0, std::string(text).find(' '))));
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
  c.callback_max_queued_per_endpoint = 3;
  c.max_commands_per_workflow = 9;
  auto back = parse_config(render_config(c));
  BOOST_REQUIRE(back.ok());
  BOOST_TEST((*back == c));
  c.retention_completed_after_s = 30 * 86400;
  c.retention_sweep_interval_s = 90;
  c.retention_archive_dir = "/var/lib/backbeat/archive";
  auto again = parse_config(render_config(c));
  BOOST_REQUIRE(again.ok());
  BOOST_TEST((*again == c));
  c.cluster_tls_cert = "certs/n1.crt";
  c.cluster_allow_plaintext = true;
  auto tls = parse_config(render_config(c));
  BOOST_REQUIRE(tls.ok());
  BOOST_TEST((*tls == c));
  BOOST_TEST(config_keys().size() == 57u);
}

BOOST_AUTO_TEST_CASE(retention_durations_take_a_unit_and_off) {
  auto c = parse_config(
      "[retention]\n"
      "completed_after = 30d\n"
      "sweep_interval = 90s\n"
      "archive_dir = /srv/archive\n"
      "batch_size = 50\n");
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->retention_completed_after_s == 30 * 86400);
  BOOST_TEST(c->retention_sweep_interval_s == 90);
  BOOST_TEST(c->retention_archive_dir == "/srv/archive");
  BOOST_TEST(c->retention_batch_size == 50);
  BOOST_TEST(*parse_duration("12h", false) == 12 * 3600);
  BOOST_TEST(*parse_duration("15m", false) == 15 * 60);
  BOOST_TEST(*parse_duration("42", false) == 42);
  BOOST_TEST(*parse_duration("off", true) == 0);
  BOOST_TEST(parse_config("retention.completed_after = off\n")->retention_completed_after_s == 0);
  BOOST_TEST(parse_config("retention.completed_after = 0\n")->retention_completed_after_s == 0);
  BOOST_TEST(render_duration(0, true) == "off");
  BOOST_TEST(render_duration(86400 * 2, true) == "2d");
  BOOST_TEST(render_duration(5400, false) == "90m");
  BOOST_TEST(render_duration(61, false) == "61s");
  // An empty archive_dir is "no archive", and survives a render.
  auto none = parse_config("retention.archive_dir = \"\"\n");
  BOOST_REQUIRE(none.ok());
  BOOST_TEST(none->retention_archive_dir.empty());
}

BOOST_AUTO_TEST_CASE(bad_retention_values_are_errors_naming_the_key) {
  for (const char* text :
       {"retention.completed_after = 30x", "retention.completed_after = -1d",
        "retention.completed_after = d", "retention.completed_after = 1.5h",
        "retention.completed_after = 99999999999d", "retention.sweep_interval = off",
        "retention.sweep_interval = 0", "retention.batch_size = 0",
        "retention.batch_size = 100001", "retention.completed_after ="}) {
    auto c = parse_config(text);
    BOOST_TEST(!c.ok(), text);
    if (!c.ok()) BOOST_TEST(mentions(c.error(), std::string(text).substr(0, std::string(text).find(' '))));
  }
}

BOOST_AUTO_TEST_CASE(log_settings_name_a_format_and_a_level) {
  const Config defaults;
  BOOST_TEST(defaults.log_format == "text");
  BOOST_TEST(defaults.log_level == "info");
  auto c = parse_config("[log]\nformat = json\nlevel = warning\n");
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->log_format == "json");
  BOOST_TEST(c->log_level == "warning");
  for (const char* text : {"log.format = yaml", "log.format = JSON", "log.level = warn",
                           "log.level = verbose", "log.format ="}) {
    auto bad = parse_config(text);
    BOOST_TEST(!bad.ok(), text);
    if (!bad.ok()) BOOST_TEST(mentions(bad.error(), std::string(text).substr(0, 10)), text);
  }
}

BOOST_AUTO_TEST_CASE(activities_settings_parse_and_render) {
  const Config defaults;
  BOOST_TEST(defaults.activities_max_running == 1000);
  // Issue 13: the http type may call nothing until the operator says what.
  BOOST_TEST(defaults.activities_http_allowed_urls.empty());
  BOOST_TEST(!defaults.activities_test_kit);
  auto c = parse_config(
      "[activities]\n"
      "max_running = 3\n"
      "http_allowed_urls = https://api.example/v1/, http://127.0.0.1:8080/hooks\n"
      "test_kit = on\n");
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->activities_max_running == 3);
  BOOST_TEST(c->activities_http_allowed_urls ==
             "https://api.example/v1/, http://127.0.0.1:8080/hooks");
  BOOST_TEST(c->activities_test_kit);
  const std::string text = render_config(*c);
  BOOST_TEST(text.find("\nactivities.max_running = 3\n") != std::string::npos);
  BOOST_TEST(text.find("\nactivities.test_kit = true\n") != std::string::npos);
  auto back = parse_config(text);
  BOOST_REQUIRE(back.ok());
  BOOST_TEST((*back == *c));
  // A prefix with " #" in it must be quoted to survive.
  Config odd = *c;
  odd.activities_http_allowed_urls = "http://h.example/a #b";
  auto again = parse_config(render_config(odd));
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(again->activities_http_allowed_urls == "http://h.example/a #b");
}

BOOST_AUTO_TEST_CASE(quotas_parse_render_and_override_per_user) {
  const Config defaults;
  BOOST_TEST(defaults.quota_decisions_per_request == 1000);
  BOOST_TEST(defaults.quota_nodes_per_workflow == 100000);
  BOOST_TEST(defaults.quota_commands_in_flight == 5000);
  BOOST_TEST(defaults.quota_callbacks_queued == 5000);
  BOOST_TEST(!defaults.open_cross_user);
  auto c = parse_config(
      "[auth]\nopen_cross_user = true\n"
      "[quotas]\ndecisions_per_request = 10\nnodes_per_workflow = 20\n"
      "[quotas.user.12ABE81C-0000-4000-8000-000000000001]\nnodes_per_workflow = 5\n"
      "commands_in_flight = 0\n");
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->open_cross_user);
  BOOST_TEST(c->quota_decisions_per_request == 10);
  BOOST_TEST(c->quota_nodes_per_workflow == 20);
  BOOST_REQUIRE(c->quota_overrides.size() == 1u);
  // Kept under the canonical (lower-case) id, only what was set.
  const QuotaOverride& o = c->quota_overrides.at("12abe81c-0000-4000-8000-000000000001");
  BOOST_TEST((o.nodes_per_workflow == std::optional<int64_t>(5)));
  BOOST_TEST((o.commands_in_flight == std::optional<int64_t>(0)));
  BOOST_TEST(!o.decisions_per_request.has_value());
  auto back = parse_config(render_config(*c));
  BOOST_REQUIRE(back.ok());
  BOOST_TEST((*back == *c));
  for (const char* text :
       {"quotas.user.not-an-id.nodes_per_workflow = 1",
        "quotas.user.12abe81c-0000-4000-8000-000000000001 = 1",
        "quotas.user.12abe81c-0000-4000-8000-000000000001.speed = 1",
        "quotas.user.12abe81c-0000-4000-8000-000000000001.nodes_per_workflow = -1",
        "quotas.nodes_per_workflow = lots", "quotas.commands_in_flight = 1000000001"}) {
    auto bad = parse_config(text);
    BOOST_TEST(!bad.ok(), text);
    if (!bad.ok()) BOOST_TEST(mentions(bad.error(), "quotas."));
  }
}

BOOST_AUTO_TEST_CASE(bad_activities_values_are_errors_naming_the_key) {
  for (const char* text :
       {"activities.max_running = 0", "activities.max_running = 1000001",
        "activities.max_running = -1", "activities.max_running = many",
        "activities.test_kit = maybe"}) {
    auto c = parse_config(text);
    BOOST_TEST(!c.ok(), text);
    const std::string key = std::string(text).substr(0, std::string(text).find(' '));
    if (!c.ok()) BOOST_TEST(mentions(c.error(), key));
  }
  BOOST_TEST(parse_config("activities.max_running = 1000000").ok());
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
  const auto repo = std::filesystem::path(BACKBEAT_SOURCE_DIR);
  auto c = load_config_file((repo / "cluster-configs" / "single-node").string());
  BOOST_REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
  BOOST_TEST(c->http_host == "127.0.0.1");
  BOOST_TEST(c->http_port == 9292);
  BOOST_TEST(c->data_dir == "./data");
}

// The README's cluster walk-through names these ports and dirs.
BOOST_AUTO_TEST_CASE(the_shipped_three_node_local_configs_parse) {
  const auto dir = std::filesystem::path(BACKBEAT_SOURCE_DIR) / "cluster-configs" / "three-node-local";
  const std::string founders = "n1@127.0.0.1:9401, n2@127.0.0.1:9402, n3@127.0.0.1:9403";
  for (int n = 1; n <= 4; ++n) {
    const std::string id = "n" + std::to_string(n);
    auto c = load_config_file((dir / id).string());
    BOOST_REQUIRE_MESSAGE(c.ok(), id + ": " + (c.ok() ? "" : c.error().message));
    BOOST_TEST(c->cluster_member_id == id);
    BOOST_TEST(c->http_host == "127.0.0.1");
    BOOST_TEST(c->http_port == 9300 + n);
    BOOST_TEST(c->cluster_host == "127.0.0.1");
    BOOST_TEST(c->cluster_port == 9400 + n);
    BOOST_TEST(c->data_dir == "./cluster-data/" + id);
    BOOST_TEST(c->cluster_partitions == 64);
    // Made by `backbeat cluster certs cluster-data/certs --members n1,n2,n3,n4`.
    BOOST_TEST(c->cluster_tls_cert == "./cluster-data/certs/" + id + ".crt");
    BOOST_TEST(c->cluster_tls_key == "./cluster-data/certs/" + id + ".key");
    BOOST_TEST(c->cluster_tls_ca == "./cluster-data/certs/ca.crt");
    BOOST_TEST(!c->cluster_allow_plaintext);
    // n4 joins later: one address without an id, as `--join` gives.
    BOOST_TEST(c->cluster_seeds == (n == 4 ? std::string("127.0.0.1:9401") : founders));
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::runtime::test
