#include "net/contract/iso_time.hpp"

#include <chrono>
#include <cstdio>

namespace backbeat::contract {
namespace {

constexpr int64_t kDayMs = 86'400'000;

constexpr Millis start_of_year(int y) {
  return std::chrono::sys_days{std::chrono::year{y} / 1 / 1}.time_since_epoch().count() * kDayMs;
}
// The years format_iso8601_ms prints: 0000..9999.
constexpr Millis kFirstPrintable = start_of_year(0);
constexpr Millis kLastPrintable = start_of_year(10000) - 1;

struct CivilTime {
  int year;
  unsigned month, day;
  int hour, minute, second, millis;
};

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

CivilTime to_civil(Millis t) {
  using namespace std::chrono;
  const int64_t day_count = floor_div(t, kDayMs);
  // Not t - day_count * kDayMs: for times near the ends of int64 (a damaged
  // record's) that product overflows.
  const int64_t in_day = t % kDayMs + (t % kDayMs < 0 ? kDayMs : 0);
  const year_month_day ymd{sys_days{days{day_count}}};
  const int secs = int(in_day / 1000);
  return {int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()),
          secs / 3600,     secs / 60 % 60,        secs % 60,          int(in_day % 1000)};
}

// A forward-only reader; every method either consumes what it names or
// leaves the position alone and reports false.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  bool eat(char c) {
    if (done() || s_[i_] != c) return false;
    ++i_;
    return true;
  }
  bool eat_any(std::string_view set) {
    if (done() || set.find(s_[i_]) == std::string_view::npos) return false;
    ++i_;
    return true;
  }
  bool eat_word(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  bool digits(size_t n, int& out) {
    if (s_.size() - i_ < n) return false;
    int v = 0;
    for (size_t k = 0; k < n; ++k) {
      const char c = s_[i_ + k];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    i_ += n;
    out = v;
    return true;
  }
  // At least one digit; only the first three matter (milliseconds).
  bool fraction_ms(int& out) {
    size_t n = 0;
    int ms = 0;
    while (!done() && s_[i_] >= '0' && s_[i_] <= '9') {
      if (n < 3) ms = ms * 10 + (s_[i_] - '0');
      ++n, ++i_;
    }
    for (size_t k = n; k < 3; ++k) ms *= 10;
    out = ms;
    return n > 0;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Offset east of UTC in minutes, or nullopt if the zone text is malformed.
std::optional<int> parse_zone(Cursor& c) {
  if (c.eat_any("Zz") || c.eat_word("UTC")) return 0;
  int sign = 1;
  if (c.eat('-')) sign = -1;
  else if (!c.eat('+')) return std::nullopt;
  int hh = 0, mm = 0;
  if (!c.digits(2, hh)) return std::nullopt;
  if (c.eat(':')) {
    if (!c.digits(2, mm)) return std::nullopt;
  } else if (!c.done() && !c.digits(2, mm)) {
    return std::nullopt;
  }
  if (hh > 23 || mm > 59) return std::nullopt;
  return sign * (hh * 60 + mm);
}

}  // namespace

std::string format_iso8601_ms(Millis t) {
  const CivilTime c = to_civil(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", c.year, c.month, c.day,
                c.hour, c.minute, c.second, c.millis);
  return buf;
}

std::string format_iso8601_offset_seconds(Millis t, int offset_seconds) {
  const CivilTime c = to_civil(t + int64_t(offset_seconds) * 1000);
  const int abs_min = (offset_seconds < 0 ? -offset_seconds : offset_seconds) / 60;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", c.year, c.month,
                c.day, c.hour, c.minute, c.second, offset_seconds < 0 ? '-' : '+', abs_min / 60,
                abs_min % 60);
  return buf;
}

std::optional<Millis> parse_iso8601(std::string_view text) {
  using namespace std::chrono;
  Cursor c(trim(text));
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0, offset_min = 0;
  if (!(c.digits(4, y) && c.eat('-') && c.digits(2, mo) && c.eat('-') && c.digits(2, d)))
    return std::nullopt;
  if (!c.done()) {
    if (!c.eat_any("Tt ")) return std::nullopt;
    if (!(c.digits(2, h) && c.eat(':') && c.digits(2, mi))) return std::nullopt;
    if (c.eat(':')) {
      if (!c.digits(2, s)) return std::nullopt;
      if (c.eat_any(".,") && !c.fraction_ms(ms)) return std::nullopt;
    }
    if (!c.done()) {
      c.eat(' ');
      const auto zone = parse_zone(c);
      if (!zone || !c.done()) return std::nullopt;
      offset_min = *zone;
    }
  }
  const year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  const int64_t day_count = sys_days{ymd}.time_since_epoch().count();
  const Millis t = day_count * kDayMs + ((h * 60 + mi) * 60 + s) * 1000LL + ms - offset_min * 60'000LL;
  // A zone offset can move 0000-01-01 or 9999-12-31 out of the years we
  // print (format_iso8601_ms), and a time we accept must print as ISO-8601.
  if (t < kFirstPrintable || t > kLastPrintable) return std::nullopt;
  return t;
}

}  // namespace backbeat::contract
