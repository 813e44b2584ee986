#pragma once
// JSON text at the edges: parsing what clients send (with a reason when it is
// malformed), reading back what we stored, and dumping without throwing.
// nlohmann throws on bad input and on invalid UTF-8 at dump time; nothing
// here lets either escape.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/result.hpp"

namespace backbeat::contract {

// Deeper documents are refused: every key transformation recurses.
inline constexpr int kMaxJsonDepth = 128;

// Client input. Errors are bad_request "Malformed JSON <what>: <reason>",
// or Backbeat::DuplicateKey for a key repeated in one object, at any depth.
Result<nlohmann::json> parse_json_text(std::string_view text, std::string_view what);

// 400 Backbeat::DuplicateKey: "Duplicate key '<key>' in <what> (<detail>, at
// <at>)", the parts in brackets when not empty. `at` is a JSON pointer.
Error duplicate_key_error(std::string_view key, std::string_view what, std::string_view at,
                          std::string_view detail = {});
// One reference token of a JSON pointer (RFC 6901): '~' and '/' escaped.
std::string json_pointer_token(std::string_view key);

// Stored text (subject, client_data, metadata, response). It was valid when
// stored, but a record written by another version must not take a request
// down: unparsable text comes back as a JSON string holding it.
nlohmann::ordered_json parse_stored_json(std::string_view text);

// Compact, never throws: invalid UTF-8 becomes U+FFFD.
std::string dump_json(const nlohmann::json& j);
std::string dump_json(const nlohmann::ordered_json& j);

bool is_valid_utf8(std::string_view s);
// Invalid sequences become U+FFFD; for echoing client bytes in messages.
std::string to_valid_utf8(std::string_view s);

}  // namespace backbeat::contract
