#include "actors/user_directory.hpp"

#include <algorithm>
#include <mutex>

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

bool UserDirectory::reserve_name(const std::string& name) {
  std::unique_lock lock(mu_);
  return names_.insert(name).second;
}

void UserDirectory::release_name(const std::string& name) {
  std::unique_lock lock(mu_);
  names_.erase(name);
}

void UserDirectory::put(const User& user) {
  std::unique_lock lock(mu_);
  names_.insert(user.name);
  users_[user.id] = user;
}

}  // namespace backbeat::actors
