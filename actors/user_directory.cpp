#include "actors/user_directory.hpp"

#include <algorithm>
#include <mutex>
#include <utility>

namespace backbeat::actors {

Status UserDirectory::load(const storage::Store& store) {
  auto users = store.list_users();
  if (!users) return users.error();
  std::unique_lock lock(mu_);
  for (User& u : *users) {
    names_.insert(u.name);
    users_[u.id] = std::move(u);
  }
  return ok_status();
}

std::optional<User> UserDirectory::find(const Uuid& id) const {
  std::shared_lock lock(mu_);
  auto it = users_.find(id);
  if (it == users_.end()) return std::nullopt;
  return it->second;
}

std::vector<User> UserDirectory::all() const {
  std::vector<User> out;
  {
    std::shared_lock lock(mu_);
    for (const auto& [id, u] : users_) out.push_back(u);
  }
  std::sort(out.begin(), out.end(), [](const User& a, const User& b) {
    return a.name != b.name ? a.name < b.name : a.id < b.id;
  });
  return out;
}

bool UserDirectory::adopt(const User& user) {
  std::unique_lock lock(mu_);
  return keep_newer(user);
}

bool UserDirectory::keep_newer(const User& user) {
  auto [it, fresh] = users_.try_emplace(user.id, user);
  if (!fresh) {
    if (it->second.version >= user.version) return false;
    it->second = user;
  }
  names_.insert(user.name);
  return true;
}

void UserDirectory::written(const User& user, const Status& s) {
  std::unique_lock lock(mu_);
  auto it = pending_.find(user.id);
  if (it != pending_.end() && it->second.version == user.version) pending_.erase(it);
  if (s)
    keep_newer(user);
  else if (!users_.count(user.id) && !pending_.count(user.id))
    names_.erase(user.name);
}

void UserDirectory::create(storage::GroupCommitter& committer, const User& user,
                           std::function<void(Status)> done) {
  // Held across submit, as in change(): writes of one user reach the
  // committer in version order.
  std::lock_guard order(change_mu_);
  {
    std::unique_lock lock(mu_);
    auto pending = pending_.find(user.id);
    if (pending != pending_.end()) {
      // A newer version of a user still on its way to disk (another member
      // rotated its token at once): written after it, not refused for the
      // name it already holds.
      if (pending->second.version >= user.version) {
        lock.unlock();
        return done(ok_status());
      }
    } else if (users_.count(user.id) || !names_.insert(user.name).second) {
      lock.unlock();
      return done(
          make_error(Error::Kind::duplicate_user, "a user named " + user.name + " already exists"));
    }
    pending_[user.id] = user;
  }
  storage::WriteSet writes;
  writes.put_user(user);
  committer.submit(std::move(writes), [this, user, done = std::move(done)](const Status& s) {
    written(user, s);
    done(s);
  });
}

bool UserDirectory::grants(const Uuid& a, const Uuid& b) const {
  std::shared_lock lock(mu_);
  auto from = users_.find(a);
  auto to = users_.find(b);
  return from != users_.end() && to != users_.end() && !to->second.disabled &&
         from->second.grants_to(b);
}

void UserDirectory::put(const User& user) {
  std::unique_lock lock(mu_);
  names_.insert(user.name);
  users_[user.id] = user;
}

void UserDirectory::change(storage::GroupCommitter& committer, const Uuid& id, const Edit& edit,
                           std::function<void(Result<User>)> done) {
  // Held across submit so changes reach the committer in version order; not
  // mu_, which the callback takes (it may run inside submit once stopped).
  std::lock_guard order(change_mu_);
  User next;
  std::optional<Error> refused;
  {
    std::unique_lock lock(mu_);
    auto pending = pending_.find(id);
    auto known = users_.find(id);
    if (pending == pending_.end() && known == users_.end()) {
      refused = make_error(Error::Kind::record_not_found,
                           "Couldn't find Backbeat::User with id=" + id.str());
    } else {
      next = pending != pending_.end() ? pending->second : known->second;
      if (auto s = edit(next); !s) refused = s.error();
    }
    if (!refused) {
      ++next.version;
      pending_[id] = next;
    }
  }
  if (refused) return done(*refused);
  {
    storage::WriteSet writes;
    writes.put_user(next);
    committer.submit(std::move(writes), [this, next, done = std::move(done)](const Status& s) {
      // A failed write leaves the pending copy for the next change only if a
      // later one is already built on it; that one fails too (same group) or
      // carries its content.
      written(next, s);
      if (!s) return done(s.error());
      done(next);
    });
  }
}

}  // namespace backbeat::actors
