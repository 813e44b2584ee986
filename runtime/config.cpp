#include "runtime/config.hpp"

#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <type_traits>
#include <utility>
#include <variant>

#include "engine/log.hpp"
#include "engine/uuid.hpp"

namespace backbeat::runtime {
namespace {

Error config_error(std::string message) {
  return make_error(Error::Kind::config, std::move(message));
}

template <class T>
struct Int {
  T Config::*member;
  int64_t min;
  int64_t max;
};

// A duration in seconds, written with a unit (parse_duration).
struct Duration {
  int64_t Config::*member;
  int64_t min_s;
  bool may_be_off;  // "off" is 0
};

// A text that may be left empty (an unset optional path).
struct OptionalText {
  std::string Config::*member;
};

using Member = std::variant<std::string Config::*, bool Config::*, Int<uint16_t>, Int<int>,
                            Int<size_t>, Int<int64_t>, Duration, OptionalText>;

struct Field {
  std::string_view key;
  Member member;
};

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMaxQuota = 1000000000;

// quotas.user.<user id>.<name>: one user's quota in place of the default.
constexpr std::string_view kQuotaUserPrefix = "quotas.user.";
constexpr std::array<std::pair<std::string_view, std::optional<int64_t> QuotaOverride::*>, 4>
    kQuotaNames{{{"decisions_per_request", &QuotaOverride::decisions_per_request},
                 {"nodes_per_workflow", &QuotaOverride::nodes_per_workflow},
                 {"commands_in_flight", &QuotaOverride::commands_in_flight},
                 {"callbacks_queued", &QuotaOverride::callbacks_queued}}};

// The one list of keys: parsing, rendering and --help all read it, so a new
// setting is one line here plus its field in Config.
const std::array<Field, 57>& fields() {
  static const std::array<Field, 57> table{{
      {"http.host", &Config::http_host},
      {"http.port", Int<uint16_t>{&Config::http_port, 0, 65535}},
      {"http.io_threads", Int<int>{&Config::http_io_threads, 1, 256}},
      {"http.max_body_bytes", Int<size_t>{&Config::http_max_body_bytes, 1, kMax}},
      {"http.max_in_flight", Int<int64_t>{&Config::http_max_in_flight, 0, 10000000}},
      {"http.read_threads", Int<int>{&Config::http_read_threads, 1, 64}},
      {"http.read_queue_per_user", Int<int64_t>{&Config::http_read_queue_per_user, 1, 100000}},
      {"http.max_tree_nodes", Int<int64_t>{&Config::http_max_tree_nodes, 1, 10000000}},
      {"search.scan_budget", Int<int64_t>{&Config::search_scan_budget, 1, kMax}},
      {"search.max_page_depth", Int<int64_t>{&Config::search_max_page_depth, 1, 100000000}},
      {"http.header_timeout_s", Int<int64_t>{&Config::http_header_timeout_s, 1, 3600}},
      {"http.body_timeout_s", Int<int64_t>{&Config::http_body_timeout_s, 1, 3600}},
      {"http.idle_timeout_s", Int<int64_t>{&Config::http_idle_timeout_s, 1, 86400}},
      {"http.max_connections_per_address",
       Int<int64_t>{&Config::http_max_connections_per_address, 0, 1000000}},
      {"http.tls_cert", OptionalText{&Config::http_tls_cert}},
      {"http.tls_key", OptionalText{&Config::http_tls_key}},
      {"data_dir", &Config::data_dir},
      {"log.format", &Config::log_format},
      {"log.level", &Config::log_level},
      {"auth.require_token", &Config::require_auth_token},
      {"auth.open_cross_user", &Config::open_cross_user},
      {"engine.client_timeout_s", Int<int64_t>{&Config::client_timeout_s, 1, kMax}},
      {"engine.max_retry_delay_s", Int<int64_t>{&Config::max_retry_delay_s, 1, kMax}},
      {"callbacks.connect_timeout_ms", Int<int64_t>{&Config::callback_connect_timeout_ms, 1, kMax}},
      {"callbacks.timeout_ms", Int<int64_t>{&Config::callback_timeout_ms, 1, kMax}},
      {"callbacks.per_endpoint_concurrency",
       Int<int64_t>{&Config::callback_per_endpoint_concurrency, 1, 10000}},
      {"callbacks.max_queued", Int<int64_t>{&Config::callback_max_queued, 0, 100000000}},
      {"callbacks.max_queued_per_endpoint",
       Int<int64_t>{&Config::callback_max_queued_per_endpoint, 0, 100000000}},
      {"callbacks.rescan_s", Int<int64_t>{&Config::callback_rescan_s, 1, 86400}},
      {"actors.passivate_after_s", Int<int64_t>{&Config::passivate_after_s, 1, kMax}},
      {"actors.max_commands_per_workflow",
       Int<int64_t>{&Config::max_commands_per_workflow, 0, 10000000}},
      {"timers.window_s", Int<int64_t>{&Config::timer_window_s, 1, kMax}},
      {"timers.rescan_s", Int<int64_t>{&Config::timer_rescan_s, 1, kMax}},
      {"caf.max_threads", Int<int>{&Config::caf_max_threads, 1, 256}},
      {"caf.moderate_poll_attempts", Int<int>{&Config::caf_moderate_poll_attempts, 0, 1000000}},
      {"retention.completed_after", Duration{&Config::retention_completed_after_s, 1, true}},
      {"retention.sweep_interval", Duration{&Config::retention_sweep_interval_s, 1, false}},
      {"retention.archive_dir", OptionalText{&Config::retention_archive_dir}},
      {"retention.batch_size", Int<int64_t>{&Config::retention_batch_size, 1, 100000}},
      {"activities.max_running", Int<int64_t>{&Config::activities_max_running, 1, 1000000}},
      {"activities.http_allowed_urls", OptionalText{&Config::activities_http_allowed_urls}},
      {"activities.test_kit", &Config::activities_test_kit},
      {"cluster.member_id", OptionalText{&Config::cluster_member_id}},
      {"cluster.host", &Config::cluster_host},
      {"cluster.port", Int<uint16_t>{&Config::cluster_port, 0, 65535}},
      {"cluster.seeds", OptionalText{&Config::cluster_seeds}},
      {"cluster.partitions", Int<int64_t>{&Config::cluster_partitions, 1, 4096}},
      {"cluster.heartbeat_ms", Int<int64_t>{&Config::cluster_heartbeat_ms, 10, 60000}},
      {"cluster.suspect_after_ms", Int<int64_t>{&Config::cluster_suspect_after_ms, 50, 600000}},
      {"quotas.decisions_per_request",
       Int<int64_t>{&Config::quota_decisions_per_request, 0, kMaxQuota}},
      {"quotas.nodes_per_workflow", Int<int64_t>{&Config::quota_nodes_per_workflow, 0, kMaxQuota}},
      {"quotas.commands_in_flight", Int<int64_t>{&Config::quota_commands_in_flight, 0, kMaxQuota}},
      {"quotas.callbacks_queued", Int<int64_t>{&Config::quota_callbacks_queued, 0, kMaxQuota}},
      {"cluster.tls_cert", OptionalText{&Config::cluster_tls_cert}},
      {"cluster.tls_key", OptionalText{&Config::cluster_tls_key}},
      {"cluster.tls_ca", OptionalText{&Config::cluster_tls_ca}},
      {"cluster.allow_plaintext", &Config::cluster_allow_plaintext},
  }};
  return table;
}

const Field* find_field(std::string_view key) {
  for (const Field& f : fields())
    if (f.key == key) return &f;
  return nullptr;
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// A '#' starts a comment at the start of a line or after whitespace, so a
// value such as "a#b" survives.
std::string_view strip_comment(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) return s.substr(0, i);
  return s;
}

// Quotes keep a value's surrounding spaces or a " #" in it; there are no
// escapes, because no setting needs a quote character.
Result<std::string> parse_value(std::string_view raw) {
  raw = trim(raw);
  if (raw.empty() || raw.front() != '"') return std::string(trim(strip_comment(raw)));
  const size_t close = raw.find('"', 1);
  if (close == std::string_view::npos) return config_error("unterminated quote");
  if (!trim(strip_comment(raw.substr(close + 1))).empty())
    return config_error("unexpected text after the closing quote");
  return std::string(raw.substr(1, close - 1));
}

bool is_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'))
      return false;
  return true;
}

template <class T>
std::string to_text(const T& v) {
  if constexpr (std::is_same_v<T, bool>)
    return v ? "true" : "false";
  else
    return std::to_string(v);
}

std::string render_string(const std::string& s) {
  const bool plain = !s.empty() && trim(s) == s && s.find('#') == std::string::npos &&
                     s.front() != '"';
  return plain ? s : "\"" + s + "\"";
}

}  // namespace

Result<bool> parse_bool(std::string_view text) {
  for (std::string_view t : {"true", "yes", "on", "1"})
    if (text == t) return true;
  for (std::string_view f : {"false", "no", "off", "0"})
    if (text == f) return false;
  return config_error("'" + std::string(text) + "' is not a boolean (true or false)");
}

// A century: far beyond any retention anyone means, and far from overflow
// once turned into milliseconds.
constexpr int64_t kMaxDurationS = int64_t{100} * 366 * 86400;

Result<int64_t> parse_duration(std::string_view text, bool may_be_off) {
  const auto fail = [&] {
    return config_error("'" + std::string(text) +
                        "' is not a duration (such as 90s, 15m, 12h, 30d" +
                        (may_be_off ? ", or off)" : ")"));
  };
  if (may_be_off && text == "off") return int64_t{0};
  constexpr std::pair<char, int64_t> kUnits[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
  int64_t unit = 1;  // a bare number is seconds
  std::string_view digits = text;
  for (auto [suffix, seconds] : kUnits)
    if (!digits.empty() && digits.back() == suffix) {
      unit = seconds;
      digits.remove_suffix(1);
      break;
    }
  int64_t n = 0;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, n);
  if (digits.empty() || ec != std::errc{} || ptr != end || n < 0 || n > kMaxDurationS / unit)
    return fail();
  return n * unit;
}

std::string render_duration(int64_t seconds, bool may_be_off) {
  if (may_be_off && seconds == 0) return "off";
  for (auto [unit, suffix] :
       {std::pair{int64_t{86400}, 'd'}, {int64_t{3600}, 'h'}, {int64_t{60}, 'm'}})
    if (seconds != 0 && seconds % unit == 0) return std::to_string(seconds / unit) + suffix;
  return std::to_string(seconds) + "s";
}

namespace {

Status set_quota_override(Config& config, std::string_view key, std::string_view value) {
  const std::string name(key);
  const std::string_view rest = key.substr(kQuotaUserPrefix.size());
  const size_t dot = rest.find('.');
  const auto id = Uuid::parse(rest.substr(0, dot));
  if (dot == std::string_view::npos || !id)
    return config_error(name + ": expected quotas.user.<user id>.<quota>");
  for (auto [quota, member] : kQuotaNames) {
    if (rest.substr(dot + 1) != quota) continue;
    int64_t n = 0;
    const char* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, n);
    if (value.empty() || ec != std::errc{} || ptr != end || n < 0 || n > kMaxQuota)
      return config_error(name + ": '" + std::string(value) + "' is not an integer in [0, " +
                          std::to_string(kMaxQuota) + "]");
    config.quota_overrides[id->str()].*member = n;
    return ok_status();
  }
  return config_error(name + ": unknown quota '" + std::string(rest.substr(dot + 1)) + "'");
}

}  // namespace

Status set_config_value(Config& config, std::string_view key, std::string_view value) {
  if (key.starts_with(kQuotaUserPrefix)) return set_quota_override(config, key, value);
  const Field* field = find_field(key);
  if (!field) return config_error("unknown key '" + std::string(key) + "'");
  const std::string name(key);
  return std::visit(
      [&](const auto& m) -> Status {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, std::string Config::*>) {
          if (value.empty()) return config_error(name + ": value must not be empty");
          config.*m = std::string(value);
        } else if constexpr (std::is_same_v<M, bool Config::*>) {
          auto b = parse_bool(value);
          if (!b) return config_error(name + ": " + b.error().message);
          config.*m = *b;
        } else if constexpr (std::is_same_v<M, OptionalText>) {
          config.*(m.member) = std::string(value);
        } else if constexpr (std::is_same_v<M, Duration>) {
          auto d = parse_duration(value, m.may_be_off);
          if (!d) return config_error(name + ": " + d.error().message);
          if (*d < m.min_s && !(m.may_be_off && *d == 0))
            return config_error(name + ": must be at least " + std::to_string(m.min_s) + "s" +
                                (m.may_be_off ? " (or off)" : ""));
          config.*(m.member) = *d;
        } else {
          int64_t n = 0;
          const char* end = value.data() + value.size();
          auto [ptr, ec] = std::from_chars(value.data(), end, n);
          if (value.empty() || ec != std::errc{} || ptr != end || n < m.min || n > m.max)
            return config_error(name + ": '" + std::string(value) + "' is not an integer in [" +
                                std::to_string(m.min) + ", " + std::to_string(m.max) + "]");
          config.*(m.member) = static_cast<std::remove_reference_t<decltype(config.*(m.member))>>(n);
        }
        return ok_status();
      },
      field->member);
}

Result<Config> parse_config(std::string_view text, Config base, std::string_view origin) {
  std::string section;
  std::set<std::string> seen;
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    const auto fail = [&](const std::string& why) -> Result<Config> {
      return config_error(std::string(origin) + ":" + std::to_string(line_no) + ": " + why);
    };

    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '[') {
      const std::string_view header = trim(strip_comment(line));
      if (header.back() != ']') return fail("a section header must end with ']'");
      const std::string_view name = trim(header.substr(1, header.size() - 2));
      if (!is_name(name)) return fail("bad section name '" + std::string(name) + "'");
      section = name;
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) return fail("expected 'key = value'");
    const std::string_view key = trim(line.substr(0, eq));
    if (!is_name(key)) return fail("bad key '" + std::string(key) + "'");
    const std::string full = section.empty() ? std::string(key) : section + "." + std::string(key);
    if (!seen.insert(full).second) return fail("duplicate key '" + full + "'");
    auto value = parse_value(line.substr(eq + 1));
    if (!value) return fail(full + ": " + value.error().message);
    if (auto set = set_config_value(base, full, *value); !set) return fail(set.error().message);
  }
  if (auto checked = check_config(base); !checked)
    return config_error(std::string(origin) + ": " + checked.error().message);
  return base;
}

Status check_config(const Config& config) {
  if (!log::parse_format(config.log_format))
    return config_error("log.format is '" + config.log_format + "': text or json");
  if (!log::parse_level(config.log_level))
    return config_error("log.level is '" + config.log_level + "': debug, info, warning or error");
  const bool cert = !config.http_tls_cert.empty();
  if (cert != !config.http_tls_key.empty())
    return config_error(std::string(cert ? "http.tls_cert" : "http.tls_key") + " is set but " +
                        (cert ? "http.tls_key" : "http.tls_cert") +
                        " is not: HTTPS needs both, plain HTTP neither");
  return ok_status();
}

Result<Config> load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return config_error("cannot read config file " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return config_error("cannot read config file " + path);
  return parse_config(text.str(), Config{}, path);
}

std::string render_config(const Config& config) {
  std::string out;
  for (const Field& f : fields()) {
    std::visit(
        [&](const auto& m) {
          using M = std::decay_t<decltype(m)>;
          out += std::string(f.key) + " = ";
          if constexpr (std::is_same_v<M, std::string Config::*>)
            out += render_string(config.*m);
          else if constexpr (std::is_same_v<M, bool Config::*>)
            out += to_text(config.*m);
          else if constexpr (std::is_same_v<M, OptionalText>)
            out += render_string(config.*(m.member));  // empty: ""
          else if constexpr (std::is_same_v<M, Duration>)
            out += render_duration(config.*(m.member), m.may_be_off);
          else
            out += to_text(config.*(m.member));
          out += "\n";
        },
        f.member);
  }
  for (const auto& [id, o] : config.quota_overrides)
    for (auto [quota, member] : kQuotaNames)
      if (o.*member)
        out += std::string(kQuotaUserPrefix) + id + "." + std::string(quota) + " = " +
               std::to_string(*(o.*member)) + "\n";
  return out;
}

std::vector<std::string> config_keys() {
  std::vector<std::string> keys;
  for (const Field& f : fields()) keys.emplace_back(f.key);
  return keys;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(std::move(item));
    start = end + 1;
  }
  return out;
}

}  // namespace backbeat::runtime
