#pragma once
// The process's one diagnostic sink: every layer logs through here, so an
// operator gets one format (human text, or JSON lines for a log shipper) and
// one level switch. It lives beside the shared value types because storage,
// actors and runtime all use it; the engine's rules never call it (they
// return warnings in their effects and the actors log those).
//
// Text:  [component] text              (info)
//        [component] warning: text     (other levels name themselves)
// JSON:  {"ts":"2026-12-08T01:02:03.456Z","level":"info","component":"...",
//         "msg":"...","tid":"..."}      (tid only where there is one)
// One line per call, written whole under a lock, so threads never interleave.
#include <optional>
#include <string>
#include <string_view>

namespace backbeat::log {

enum class Level { debug, info, warning, error };
enum class Format { text, json };

std::optional<Level> parse_level(std::string_view name);    // "debug" .. "error"
std::optional<Format> parse_format(std::string_view name);  // "text" | "json"
std::string_view level_name(Level level);

// Once at start-up, before the threads that log exist. Until then: info, text.
void configure(Level min_level, Format format);
bool enabled(Level level);

// `tid` is the request's transaction id (X-backbeat-tid) when the line is
// about one request.
void write(Level level, std::string_view component, std::string_view text,
           std::string_view tid = {});

inline void debug(std::string_view component, std::string_view text) {
  write(Level::debug, component, text);
}
inline void info(std::string_view component, std::string_view text) {
  write(Level::info, component, text);
}
inline void warning(std::string_view component, std::string_view text) {
  write(Level::warning, component, text);
}
inline void error(std::string_view component, std::string_view text) {
  write(Level::error, component, text);
}

// The line `write` would print, without its newline; for tests.
std::string format_line(Format format, Level level, std::string_view component,
                        std::string_view text, std::string_view tid, long long unix_ms);

}  // namespace backbeat::log
