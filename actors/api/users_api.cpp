// /users: the admin's way to register client services (contract §19; the
// original had only a console script).
#include <random>

#include "actors/api/fields.hpp"
#include "actors/api/handlers.hpp"

namespace backbeat::actors::api {
namespace {

// 22 characters of URL-safe base64 over 16 random bytes, as the original.
std::string new_auth_token() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 22; ++i) out.push_back(kAlphabet[rd() % 64]);
  return out;
}

Result<std::string> endpoint(const Json& params, std::string_view key, bool required) {
  auto url = opt_string(params, key);
  if (!url) return url.error();
  if (!*url || (*url)->empty()) {
    if (required) return bad_request(std::string(key) + " is required");
    return std::string();
  }
  const std::string& u = **url;
  if (u.rfind("http://", 0) != 0 && u.rfind("https://", 0) != 0)
    return bad_request(std::string(key) + " must be an http:// or https:// URL");
  return u;
}

net::OrderedJson id_and_name(const User& u) {
  return net::OrderedJson{{"id", u.id.str()}, {"name", u.name}};
}

}  // namespace

void create_user(Call call) {
  auto name = req_string(call.params, "name");
  if (!name) return call.fail(name.error());
  auto activity = endpoint(call.params, "activity_endpoint", true);
  if (!activity) return call.fail(activity.error());
  auto decision = endpoint(call.params, "decision_endpoint", false);
  if (!decision) return call.fail(decision.error());
  auto notification = endpoint(call.params, "notification_endpoint", false);
  if (!notification) return call.fail(notification.error());
  auto token = opt_string(call.params, "auth_token");
  if (!token) return call.fail(token.error());
  // An empty token would let anyone with the id in (bearer_token("") == "").
  if (*token && (*token)->size() < 16)
    return call.fail(bad_request("auth_token must be at least 16 characters"));

  User user;
  user.id = call.svc->ids->next();
  user.name = *name;
  user.activity_endpoint = *activity;
  user.decision_endpoint = *decision;
  user.notification_endpoint = *notification;
  user.auth_token = token->value_or(new_auth_token());
  user.created_at = call.svc->clock();
  if (!call.svc->users->reserve_name(user.name))
    return call.fail(make_error(Error::Kind::conflict, "Backbeat::DuplicateUser",
                                "a user named " + user.name + " already exists"));

  storage::WriteSet writes;
  writes.put_user(user);
  const Services* svc = call.svc;
  call.svc->committer->submit(
      std::move(writes), [svc, user, call = std::move(call)](const Status& s) {
        if (!s) {
          svc->users->release_name(user.name);
          return call.fail(s.error());
        }
        svc->users->put(user);
        call.reply(201, net::present_user(user, true));
      });
}

void list_users(Call call) {
  net::OrderedJson out = net::OrderedJson::array();
  for (const User& u : call.svc->users->all()) out.push_back(id_and_name(u));
  call.reply(200, out);
}

void get_user(Call call) {
  auto id = id_from_path(call.params.value("id", ""));
  if (!id) return call.fail(id.error());
  auto user = call.svc->users->find(*id);
  if (!user)
    return call.fail(make_error(Error::Kind::not_found, "ActiveRecord::RecordNotFound",
                                "Couldn't find Backbeat::User with id=" + id->str()));
  call.reply(200, id_and_name(*user));
}

}  // namespace backbeat::actors::api
