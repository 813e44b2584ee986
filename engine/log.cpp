#include "engine/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <mutex>

namespace backbeat::log {
namespace {

std::atomic<Level> g_min{Level::info};
std::atomic<Format> g_format{Format::text};
std::mutex g_write_mu;

constexpr std::string_view kLevelNames[] = {"debug", "info", "warning", "error"};
constexpr char kHex[] = "0123456789abcdef";

// Length of the well-formed UTF-8 sequence at s[i], or 0 if it is not one;
// a log line must stay valid JSON whatever bytes a message carries.
size_t utf8_length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  if (n == 2 && c < 0xC2) return 0;                                          // overlong
  if (n == 3 && c == 0xE0 && byte(i + 1) < 0xA0) return 0;                   // overlong
  if (n == 3 && c == 0xED && byte(i + 1) >= 0xA0) return 0;                  // surrogate
  if (n == 4 && c == 0xF0 && byte(i + 1) < 0x90) return 0;                   // overlong
  if (n == 4 && (c > 0xF4 || (c == 0xF4 && byte(i + 1) >= 0x90))) return 0;  // > U+10FFFF
  return n;
}

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(char(c));
      ++i;
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
      ++i;
    } else if (size_t n = utf8_length(s, i); n > 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\\ufffd";
      ++i;
    }
  }
  out.push_back('"');
}

// Text lines keep the message as it is but for control characters, which
// are written as escapes: a message carrying a newline (a client's text in
// an error, say) cannot forge a second line.
void append_text(std::string& out, std::string_view s) {
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if ((c < 0x20 && c != '\t') || c == 0x7F) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(ch);
    }
  }
}

std::string iso_utc(long long unix_ms) {
  const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];  // room for any int the format may meet
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(unix_ms % 1000));
  return buf;
}

}  // namespace

std::optional<Level> parse_level(std::string_view name) {
  for (size_t i = 0; i < std::size(kLevelNames); ++i)
    if (kLevelNames[i] == name) return static_cast<Level>(i);
  return std::nullopt;
}

std::optional<Format> parse_format(std::string_view name) {
  if (name == "text") return Format::text;
  if (name == "json") return Format::json;
  return std::nullopt;
}

std::string_view level_name(Level level) { return kLevelNames[static_cast<size_t>(level)]; }

void configure(Level min_level, Format format) {
  g_min.store(min_level);
  g_format.store(format);
}

bool enabled(Level level) { return level >= g_min.load(std::memory_order_relaxed); }

std::string format_line(Format format, Level level, std::string_view component,
                        std::string_view text, std::string_view tid, long long unix_ms) {
  std::string line;
  if (format == Format::json) {
    line = "{\"ts\":\"" + iso_utc(unix_ms) + "\",\"level\":\"";
    line += level_name(level);
    line += "\",\"component\":";
    append_json_string(line, component);
    line += ",\"msg\":";
    append_json_string(line, text);
    if (!tid.empty()) {
      line += ",\"tid\":";
      append_json_string(line, tid);
    }
    line += "}";
    return line;
  }
  line = "[";
  append_text(line, component);
  line += "] ";
  if (level != Level::info) {
    line += level_name(level);
    line += ": ";
  }
  append_text(line, text);
  if (!tid.empty()) {
    line += " (tid ";
    append_text(line, tid);
    line += ")";
  }
  return line;
}

void write(Level level, std::string_view component, std::string_view text, std::string_view tid) {
  if (!enabled(level)) return;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  std::string line =
      format_line(g_format.load(std::memory_order_relaxed), level, component, text, tid,
                  std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  line.push_back('\n');
  std::lock_guard lock(g_write_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace backbeat::log
