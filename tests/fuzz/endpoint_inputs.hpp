#pragma once
// Every API operation's input decoding, driven the way its handler drives it
// (actors/api/*_api.cpp) up to the point where the handler would read the
// store or send a command. Shared by the fuzz targets.
#include <nlohmann/json.hpp>

#include "actors/api/routing.hpp"

namespace backbeat::fuzz {

// Aborts, naming the route, if some route of the API has no decoding here:
// a new endpoint must not slip past the fuzzers unnoticed.
void require_every_route_covered();

// What the route's handler reads from `params`, in the handler's order;
// the first error, as the handler would answer it.
Status decode_for_route(const actors::api::Route& route, const nlohmann::json& params);

// Every decoder of every route on the same parameters, whatever their shape
// (the decoders are called on non-objects too: they must answer an error).
void decode_for_every_route(const nlohmann::json& params);

}  // namespace backbeat::fuzz
