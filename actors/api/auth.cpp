#include "actors/api/auth.hpp"

namespace backbeat::actors::api {
namespace {

// Equal-time comparison, so a token cannot be guessed byte by byte.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

Error unauthorized() {
  return make_error(Error::Kind::unauthorized, "Unauthorized", "Unauthorized");
}

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
  // The admin may act as any user (the operator CLI does, to read a tree or
  // restart a node on a client's behalf).
  const std::string& admin = call.options->admin_token;
  if (!admin.empty() && same_secret(token, admin)) return *user;
  if (call.options->require_auth_token && !same_secret(token, user->auth_token))
    return unauthorized();
  return *user;
}

Status authenticate_admin(const Call& call) {
  const std::string& admin = call.options->admin_token;
  if (admin.empty() || !same_secret(bearer_token(call.request.header("Authorization")), admin))
    return unauthorized();
  return ok_status();
}

}  // namespace backbeat::actors::api
