#pragma once
// The legal moves of the two status fields (docs/contract.md §5.1, §5.2). Every
// status write in the engine goes through these checks; nothing else decides
// legality.
#include "engine/result.hpp"
#include "engine/status.hpp"

namespace backbeat::engine {

bool client_transition_allowed(ClientStatus from, ClientStatus to);
bool server_transition_allowed(ServerStatus from, ServerStatus to);

// The errors a client sees for an illegal move. Both are 409 in our API (the
// original answered 500 for the server field, docs/contract.md §19).
Error invalid_client_transition(ClientStatus from, ClientStatus to);
Error invalid_server_transition(ServerStatus from, ServerStatus to);

}  // namespace backbeat::engine
