#pragma once
// Who is calling (docs/contract.md §2.4 and §19): the Client-Id header names
// the user; unless relaxed by config, `Authorization: Token token="..."` must
// carry that user's token (or the admin token: the admin may act as any
// user). The admin routes take the admin token only.
#include "actors/api/call.hpp"

namespace backbeat::actors::api {

Error unauthorized();
// The token of an `Authorization: Token token="..."` header, or empty.
std::string_view bearer_token(std::string_view header);
// The user a request names in Client-Id (or Client_Id); nullopt if none.
std::optional<Uuid> client_id(const net::HttpRequest& request);

Result<User> authenticate_user(const Call& call);
Status authenticate_admin(const Call& call);

}  // namespace backbeat::actors::api
