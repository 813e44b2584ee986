// /users: the admin's way to register client services and manage them
// (docs/contract.md §19 and docs/security.md; the original had only a console
// script). Every change is durable before it is answered or shared with the
// other members, and bumps the user's version so members keep the newest.
#include <algorithm>

#include "actors/api/handlers.hpp"
#include "actors/api/inputs.hpp"
#include "actors/secrets.hpp"

namespace backbeat::actors::api {
namespace {

contract::OrderedJson id_and_name(const User& u) {
  return contract::OrderedJson{{"id", u.id.str()}, {"name", u.name}};
}

Error unknown_user(const Uuid& id) {
  return make_error(Error::Kind::record_not_found,
                    "Couldn't find Backbeat::User with id=" + id.str());
}

// Edits the user named by the route's `id`; `answer` replies once the
// change is durable (and sent to the other members).
void change_user(Call call, UserDirectory::Edit edit,
                 std::function<void(const Call&, const User&)> answer) {
  auto id = id_from_path(call.params.value("id", ""));
  if (!id) return call.fail(id.error());
  const Services* svc = call.svc;
  svc->users->change(*svc->committer, *id, edit,
                     [svc, call = std::move(call), answer = std::move(answer)](Result<User> r) {
                       if (!r) return call.fail(r.error());
                       if (svc->cluster) svc->cluster->share_user(*r);
                       answer(call, *r);
                     });
}

// The user `other` names in the route, which must exist.
Result<Uuid> grantee(const Call& call) {
  auto other = id_from_path(call.params.value("other", ""));
  if (!other) return other.error();
  if (!call.svc->users->find(*other)) return unknown_user(*other);
  return *other;
}

contract::OrderedJson grants_of(const Services& svc, const User& user) {
  contract::OrderedJson out = contract::OrderedJson::array();
  for (const Uuid& g : user.grants) {
    auto other = svc.users->find(g);
    out.push_back(other ? id_and_name(*other) : contract::OrderedJson{{"id", g.str()}, {"name", nullptr}});
  }
  return out;
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
  const std::string token = input->auth_token.value_or(new_token());
  set_token(user, token);
  user.created_at = call.svc->clock();
  const Services* svc = call.svc;
  svc->users->create(*svc->committer, user,
                     [svc, user, token, call = std::move(call)](const Status& s) {
                       if (!s) return call.fail(s.error());
                       // Any member may be asked for this user's workflows from now on.
                       if (svc->cluster) svc->cluster->share_user(user);
                       call.reply(201, contract::present_user(user, token));
                     });
}

void list_users(Call call) {
  contract::OrderedJson out = contract::OrderedJson::array();
  for (const User& u : call.svc->users->all()) out.push_back(id_and_name(u));
  call.reply(200, out);
}

void get_user(Call call) {
  auto id = id_from_path(call.params.value("id", ""));
  if (!id) return call.fail(id.error());
  auto user = call.svc->users->find(*id);
  if (!user) return call.fail(unknown_user(*id));
  call.reply(200, id_and_name(*user));
}

void rotate_token(Call call) {
  auto chosen = chosen_token(call.params);
  if (!chosen) return call.fail(chosen.error());
  const std::string token = chosen->value_or(new_token());
  change_user(
      std::move(call), [token](User& u) { return set_token(u, token), ok_status(); },
      [token](const Call& c, const User& u) { c.reply(200, contract::present_user(u, token)); });
}

void set_disabled(Call call) {
  bool disabled = call.request.method == "PUT";
  if (disabled) {
    auto input = disabled_input(call.params);
    if (!input) return call.fail(input.error());
    disabled = *input;
  }
  change_user(
      std::move(call), [disabled](User& u) { return u.disabled = disabled, ok_status(); },
      [](const Call& c, const User& u) { c.reply(200, contract::present_user(u)); });
}

void list_grants(Call call) {
  auto id = id_from_path(call.params.value("id", ""));
  if (!id) return call.fail(id.error());
  auto user = call.svc->users->find(*id);
  if (!user) return call.fail(unknown_user(*id));
  call.reply(200, grants_of(*call.svc, *user));
}

void set_grant(Call call) {
  auto other = grantee(call);
  if (!other) return call.fail(other.error());
  const bool grant = call.request.method == "PUT";
  if (Uuid::parse(call.params.value("id", "")) == *other)
    return call.fail(bad_request("a user always involves itself; grants name another user"));
  const Uuid b = *other;
  change_user(
      std::move(call),
      [grant, b](User& u) {
        auto it = std::lower_bound(u.grants.begin(), u.grants.end(), b);
        const bool has = it != u.grants.end() && *it == b;
        if (grant && !has) u.grants.insert(it, b);
        if (!grant && has) u.grants.erase(it);
        return ok_status();
      },
      [](const Call& c, const User& u) { c.reply(200, grants_of(*c.svc, u)); });
}

}  // namespace backbeat::actors::api
