#include "actors/api/auth.hpp"

namespace backbeat::actors::api {
namespace {

bool is_admin(const Call& call, std::string_view token) {
  const auto& admin = call.options->admin_digest;
  return admin && !token.empty() && same_digest(sha256(token), *admin);
}

// The original relaxed the token everywhere; we relax it only where nothing
// changes (docs/security.md).
bool token_required(const Call& call) {
  if (call.options->require_auth_token) return true;
  const std::string& m = call.request.method;
  return m != "GET" && m != "HEAD";
}

}  // namespace

Error unauthorized() { return make_error(Error::Kind::unauthorized, "Unauthorized"); }

std::string_view bearer_token(std::string_view header) {
  // The original's pattern: Token token="(.+)" anchored at the end.
  static constexpr std::string_view kPrefix = "token=\"";
  auto start = header.rfind(kPrefix);
  if (start == std::string_view::npos || header.size() < 2 || header.back() != '"') return {};
  if (header.substr(0, 5) != "Token") return {};
  start += kPrefix.size();
  if (start >= header.size() - 1) return {};
  return header.substr(start, header.size() - 1 - start);
}

std::optional<Uuid> client_id(const net::HttpRequest& request) {
  std::string_view text = request.header("Client-Id");
  if (text.empty()) text = request.header("Client_Id");
  return Uuid::parse(text);
}

Result<User> authenticate_user(const Call& call) {
  auto id = client_id(call.request);
  if (!id) return unauthorized();
  auto user = call.svc->users->find(*id);
  if (!user) return unauthorized();
  const std::string_view token = bearer_token(call.request.header("Authorization"));
  // The admin may act as any user, a disabled one included (the operator
  // CLI does, to read a tree or restart a node on a client's behalf).
  if (is_admin(call, token)) return *user;
  if (token_required(call) &&
      !token_matches(user->token_key, user->token_digest, token))
    return unauthorized();
  // Told apart from a bad token only to whoever holds the right one.
  if (user->disabled)
    return make_error(Error::Kind::user_disabled,
                      "user " + user->id.str() + " is disabled; ask the admin");
  return *user;
}

Status authenticate_admin(const Call& call) {
  if (!is_admin(call, bearer_token(call.request.header("Authorization")))) return unauthorized();
  return ok_status();
}

}  // namespace backbeat::actors::api
