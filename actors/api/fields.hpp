#pragma once
// Typed reads from the merged parameter map. Clients send numbers as strings
// (forms) and null for "use the default" (the Ruby client); both are
// accepted. Anything else is a 400 that names the field.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/model.hpp"
#include "engine/result.hpp"

namespace backbeat::actors::api {

using Json = nlohmann::json;

// Present and not null.
bool has(const Json& params, std::string_view key);

Result<std::optional<std::string>> opt_string(const Json& params, std::string_view key);
Result<std::string> req_string(const Json& params, std::string_view key);
Result<std::optional<int64_t>> opt_int(const Json& params, std::string_view key);
Result<std::optional<Uuid>> opt_uuid(const Json& params, std::string_view key);
Result<std::optional<Millis>> opt_time(const Json& params, std::string_view key);  // ISO-8601

// An id taken from the URL; malformed ids are 400, as in the original.
Result<Uuid> id_from_path(const std::string& text);

}  // namespace backbeat::actors::api
