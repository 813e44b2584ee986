#pragma once
// All users, in memory: every authenticated request needs one, and there are
// few. Loaded from the store at start; new users are added once durable.
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "runtime/engine/model.hpp"
#include "runtime/engine/result.hpp"
#include "storage/store.hpp"

namespace backbeat::actors {

class UserDirectory {
 public:
  Status load(const storage::Store& store);
  std::optional<User> find(const Uuid& id) const;
  std::vector<User> all() const;  // by name
  // Names are unique. A reserved name is held until put() or release().
  bool reserve_name(const std::string& name);
  void release_name(const std::string& name);
  void put(const User& user);

 private:
  mutable std::shared_mutex mu_;
  std::unordered_map<Uuid, User> users_;
  std::unordered_set<std::string> names_;
};

}  // namespace backbeat::actors
