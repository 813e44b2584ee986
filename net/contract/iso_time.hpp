#pragma once
// ISO-8601 text <-> Millis. Presenters emit UTC with milliseconds
// (docs/contract.md §2.3); requests (fires_at, status_start, status_end) may
// use any common ISO-8601 spelling, so parsing is lenient about form but strict
// about range.
#include <optional>
#include <string>
#include <string_view>

#include "engine/model.hpp"

namespace backbeat::contract {

// "2016-03-02T17:04:05.123Z". Years outside 0000..9999 are not supported.
std::string format_iso8601_ms(Millis t);

// Local wall time at the given UTC offset, second precision, as /health
// shows it: "2016-03-02T18:04:05+01:00" (offset 0 gives "+00:00", like
// Ruby's Time#iso8601 on a local time).
std::string format_iso8601_offset_seconds(Millis t, int offset_seconds);

// Accepts "YYYY-MM-DD" (midnight UTC) or date, then 'T'/'t'/' ', then
// "HH:MM[:SS[.fraction]]" and an optional zone "Z", "UTC", "+HH", "+HHMM",
// "+HH:MM" (optionally after one space, as Ruby's Time#to_s writes it).
// No zone means UTC. Fractions of any length are truncated to milliseconds.
// nullopt for anything else, including out-of-range fields (month 13,
// Feb 30, 24:00, offset minutes 60).
std::optional<Millis> parse_iso8601(std::string_view text);

}  // namespace backbeat::contract
