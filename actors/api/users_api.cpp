// /users: the admin's way to register client services (contract §19; the
// original had only a console script).
#include <random>

#include "actors/api/handlers.hpp"
#include "actors/api/inputs.hpp"

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

net::OrderedJson id_and_name(const User& u) {
  return net::OrderedJson{{"id", u.id.str()}, {"name", u.name}};
}

}  // namespace

void create_user(Call call) {
  auto input = new_user_input(call.params);
  if (!input) return call.fail(input.error());

  User user;
  user.id = call.svc->ids->next();
  user.name = input->name;
  user.activity_endpoint = input->activity_endpoint;
  user.decision_endpoint = input->decision_endpoint;
  user.notification_endpoint = input->notification_endpoint;
  user.auth_token = input->auth_token.value_or(new_auth_token());
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
        // Any member may be asked for this user's workflows from now on.
        if (svc->cluster) svc->cluster->share_user(user);
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
