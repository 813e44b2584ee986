#pragma once
// The merged parameter map a route handler sees (docs/contract.md §2.1–2.2):
// query string, body and route parameters in one object, keys snake_cased,
// built with Rack's rules so form-encoded clients (the original spec suite) and
// JSON clients look the same.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/result.hpp"

namespace backbeat::contract {

using RouteParams = std::vector<std::pair<std::string, std::string>>;

// Body by Content-Type. Blank body -> {}. JSON (application/json, */*+json)
// must be an object. application/x-www-form-urlencoded -> Rack nested keys
// (unless the body starts with {: curl -d labels JSON that way),
// string values. No Content-Type: JSON if the body starts with '{' or '[',
// else form. Any other type: JSON if it looks like JSON, else bad_request.
// Ambiguous keys are 400 Backbeat::DuplicateKey, at any depth: one key twice
// in an object ({"a":1,"a":2}, "a[b]=1&a[b]=2"), or two keys normalize_keys
// would merge ({"clientData":..,"client_data":..}; inside client_data and
// metadata, which keep their keys as sent, only the first kind).
Result<nlohmann::json> parse_body(std::string_view content_type, std::string_view body);

// Rack's parse_nested_query: "a=1&b[c]=2&d[]=3&d[]=4&e[][f]=5" (also ';'),
// '+' is a space, %XX decoded, a key without '=' maps to null. bad_request
// for invalid %-encoding, invalid UTF-8, or a key used with two shapes
// ("a=1&a[b]=2"), which Rack also rejects with 400. Unlike Rack (the last
// wins), a name repeated other than as an array ("a=1&a=2") and keys that
// collide once normalised are Backbeat::DuplicateKey, as in parse_body.
Result<nlohmann::json> parse_query(std::string_view query);

// Shallow merge in Rack/Grape order: body keys override query keys, route
// parameters override both, however each spells the key ("workflowType" in
// the body overrides "workflow_type" in the query). Non-object inputs count
// as empty.
nlohmann::json merge_params(nlohmann::json query, nlohmann::json body, const RouteParams& route);

// ActiveSupport String#underscore (no custom acronyms): "HTTPThing" ->
// "http_thing", "a-b" -> "a_b", "Foo::Bar" -> "foo/bar".
std::string underscore(std::string_view key);

// ActiveSupport String#camelize(:lower): "current_server_status" ->
// "currentServerStatus"; segments after '_' are capitalised ("order_ID" ->
// "orderId"), "a/b" -> "a::B".
std::string camelize(std::string_view key);

// underscore() on every object key at every depth, arrays included. A value
// whose converted key is client_data or metadata is copied verbatim. When two
// keys collide after conversion ("workflowType" and "workflow_type"), the one
// already spelt in snake_case wins, whatever the order (parse_body and
// parse_query refuse such input, so this only decides for other callers).
nlohmann::json normalize_keys(const nlohmann::json& params);

// camelize() on every key at every depth, no exemptions (tree endpoint).
nlohmann::json camelize_keys(const nlohmann::json& value);
nlohmann::ordered_json camelize_keys(const nlohmann::ordered_json& value);

}  // namespace backbeat::contract
