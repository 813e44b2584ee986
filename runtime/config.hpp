#pragma once
// A node's settings. The file format is deliberately tiny so an operator can
// read it without a manual:
//
//   # comment
//   data_dir = ./data
//   [http]            # later keys read as "http.<key>"
//   port = 9292
//
// Every key must be known and every value must parse: a typo'd key silently
// ignored would leave a node running with a setting its operator never chose.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.hpp"

namespace backbeat::runtime {

// One user's quotas where they differ from the defaults
// (`quotas.user.<user id>.<name> = N`); unset ones follow the defaults.
struct QuotaOverride {
  std::optional<int64_t> decisions_per_request;
  std::optional<int64_t> nodes_per_workflow;
  std::optional<int64_t> commands_in_flight;
  std::optional<int64_t> callbacks_queued;
  friend bool operator==(const QuotaOverride&, const QuotaOverride&) = default;
};

// Field names follow the file keys (dots become underscores where the key
// alone would be ambiguous). Defaults are the single-node defaults.
struct Config {
  std::string http_host = "127.0.0.1";          // http.host
  uint16_t http_port = 9292;                    // http.port; 0 picks a free port
  int http_io_threads = 1;                      // http.io_threads
  size_t http_max_body_bytes = size_t{1} << 20;  // http.max_body_bytes
  int64_t http_max_in_flight = 20000;           // http.max_in_flight: commands, then 503
  // Reads that may take long (docs/api.md, "Paging and limits").
  int http_read_threads = 2;                    // http.read_threads: off the I/O threads
  int64_t http_read_queue_per_user = 32;        // http.read_queue_per_user: waiting, then 503
  int64_t http_max_tree_nodes = 10000;          // http.max_tree_nodes: nodes in one answer
  int64_t search_scan_budget = 20000;           // search.scan_budget: index entries per search
  int64_t search_max_page_depth = 10000;        // search.max_page_depth: page x per_page
  // Slow clients (docs/http.md): a request header must be complete within
  // header_timeout_s of the connection's start (or of the request's first
  // byte on a kept-alive one), a body and each response take at most
  // body_timeout_s, an idle kept-alive connection lasts idle_timeout_s.
  int64_t http_header_timeout_s = 10;           // http.header_timeout_s
  int64_t http_body_timeout_s = 30;             // http.body_timeout_s
  int64_t http_idle_timeout_s = 75;             // http.idle_timeout_s
  int64_t http_max_connections_per_address = 512;  // http.max_connections_per_address; 0 = none
  // HTTPS: both PEM files, or neither (plain HTTP).
  std::string http_tls_cert;                    // http.tls_cert: certificate chain
  std::string http_tls_key;                     // http.tls_key: its private key, unencrypted
  std::string data_dir = "./data";              // data_dir
  std::string log_format = "text";              // log.format: text, or json (one object a line)
  std::string log_level = "info";               // log.level: debug, info, warning or error
  bool require_auth_token = true;               // auth.require_token (off: reads only)
  // auth.open_cross_user: any user may name any other as client_id or link
  // to its nodes, as the original allowed; for a migration only.
  bool open_cross_user = false;
  int64_t client_timeout_s = 172800;            // engine.client_timeout_s
  int64_t max_retry_delay_s = 3600;             // engine.max_retry_delay_s
  int64_t callback_connect_timeout_ms = 5000;   // callbacks.connect_timeout_ms
  int64_t callback_timeout_ms = 60000;          // callbacks.timeout_ms
  int64_t callback_per_endpoint_concurrency = 32;     // callbacks.per_endpoint_concurrency
  int64_t callback_max_queued = 20000;                // callbacks.max_queued (server-wide)
  int64_t callback_max_queued_per_endpoint = 5000;    // callbacks.max_queued_per_endpoint
  int64_t callback_rescan_s = 10;                     // callbacks.rescan_s: deferred ones
  int64_t passivate_after_s = 30;               // actors.passivate_after_s
  int64_t max_commands_per_workflow = 1000;     // actors.max_commands_per_workflow, then 503
  int64_t timer_window_s = 600;                 // timers.window_s
  int64_t timer_rescan_s = 60;                  // timers.rescan_s
  int caf_max_threads = 2;                      // caf.max_threads
  int caf_moderate_poll_attempts = 0;           // caf.moderate_poll_attempts
  // Retention of complete workflows (docs/storage.md). Off by default: money
  // moving records are only ever deleted because an operator asked for it.
  int64_t retention_completed_after_s = 0;      // retention.completed_after: "30d"; 0 = off
  int64_t retention_sweep_interval_s = 600;     // retention.sweep_interval: "10m"
  std::string retention_archive_dir;            // retention.archive_dir; empty: no archive
  int64_t retention_batch_size = 500;           // retention.batch_size: workflows per sweep step
  // In-engine activity actors (docs/activity-actors.md).
  int64_t activities_max_running = 1000;        // activities.max_running; more wait their turn
  // activities.http_allowed_urls: comma-separated URL prefixes the http
  // activity may call; "*" is any http(s) URL that is no internal address.
  // Empty (the default): the http type is refused.
  std::string activities_http_allowed_urls;
  bool activities_test_kit = false;             // activities.test_kit: test.* misbehaving actors
  // The cluster (docs/cluster.md). No member_id: a single node, no cluster port.
  std::string cluster_member_id;                // cluster.member_id, e.g. "n1"
  std::string cluster_host = "127.0.0.1";       // cluster.host: where the node agent listens
  uint16_t cluster_port = 0;                    // cluster.port; 0 picks a free port
  // cluster.seeds: "n1@127.0.0.1:4301, n2@127.0.0.1:4302"; the first
  // partition map spreads partitions over these ids (and member_id).
  std::string cluster_seeds;
  int64_t cluster_partitions = 64;              // cluster.partitions: same on every member
  int64_t cluster_heartbeat_ms = 500;           // cluster.heartbeat_ms
  int64_t cluster_suspect_after_ms = 3000;      // cluster.suspect_after_ms: silent this long = down
  // Per-user quotas (docs/security.md), each user's own; overrides by user id.
  int64_t quota_decisions_per_request = 1000;   // quotas.decisions_per_request: else 413
  int64_t quota_nodes_per_workflow = 100000;    // quotas.nodes_per_workflow: else 409
  int64_t quota_commands_in_flight = 5000;      // quotas.commands_in_flight: else 429
  int64_t quota_callbacks_queued = 5000;        // quotas.callbacks_queued: else 429 for new work
  std::map<std::string, QuotaOverride> quota_overrides;  // by canonical user id
  // Mutual TLS between members (docs/cluster.md, "Member authentication"):
  // PEM files, paths relative to where the node starts, as
  // `backbeat cluster certs` makes them. A member needs all three, or
  // cluster.allow_plaintext = true to link in clear.
  std::string cluster_tls_cert;                 // cluster.tls_cert: this member's certificate
  std::string cluster_tls_key;                  // cluster.tls_key: its private key
  std::string cluster_tls_ca;                   // cluster.tls_ca: the CA that signs every member
  bool cluster_allow_plaintext = false;         // cluster.allow_plaintext

  friend bool operator==(const Config&, const Config&) = default;
};

// Sets one key ("http.port") from its text form. Errors name the key.
Status set_config_value(Config& config, std::string_view key, std::string_view value);

// Applies `text` on top of `base`. Errors say "<origin>:<line>: ...".
Result<Config> parse_config(std::string_view text, Config base = {},
                            std::string_view origin = "config");

// What single keys cannot say: http.tls_cert and http.tls_key go together.
// parse_config() applies it to what it read.
Status check_config(const Config& config);

// Reads and parses a file on top of the defaults.
Result<Config> load_config_file(const std::string& path);

// The config in file form, every key spelled out; parse_config() reads it
// back to an equal Config.
std::string render_config(const Config& config);

// Every key the file accepts, in file order.
std::vector<std::string> config_keys();

// Accepts true/false, yes/no, on/off, 1/0: the spellings people write.
Result<bool> parse_bool(std::string_view text);

// A duration in seconds from "90s", "15m", "12h", "30d" or a bare number of
// seconds; with `may_be_off`, "off" too (0). render_duration writes it back
// in the largest unit that divides it.
Result<int64_t> parse_duration(std::string_view text, bool may_be_off);
std::string render_duration(int64_t seconds, bool may_be_off);

// A list value ("a, b" -> {"a", "b"}): items trimmed, empty ones dropped.
std::vector<std::string> split_list(const std::string& text);

}  // namespace backbeat::runtime
