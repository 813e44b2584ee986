#pragma once
// All users, in memory: every authenticated request needs one, and there are
// few. Loaded from the store at start; changes become visible once durable.
#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/model.hpp"
#include "engine/result.hpp"
#include "storage/group_commit.hpp"
#include "storage/store.hpp"

namespace backbeat::actors {

class UserDirectory {
 public:
  Status load(const storage::Store& store);
  std::optional<User> find(const Uuid& id) const;
  std::vector<User> all() const;  // by name
  void put(const User& user);  // names are unique: a user holds its name from here
  // A user another member sent: kept if new here or newer (version) than
  // the copy here; false when it was not taken.
  bool adopt(const User& user);
  // Registers a user new to this member, made here or by another member:
  // its name is held at once, the user is visible (and `done` hears) once
  // durable, and the name is free again if the write fails. A name already
  // held, or an id already known, is a conflict error and writes nothing; a
  // newer version of a user whose creation is still being written is
  // written after it. `done` runs on the committer's thread, or here when
  // nothing is written.
  void create(storage::GroupCommitter& committer, const User& user,
              std::function<void(Status)> done);
  // Whether `a` has granted itself `b`: both known, b not disabled.
  bool grants(const Uuid& a, const Uuid& b) const;

  // Changes user `id` through `edit` (which may refuse with an error) and
  // writes the result, one version up, through `committer`. Each change is
  // built on the one before it even while that one is still on its way to
  // disk, so two admin calls racing on one user both count; the change is
  // visible, and `done` hears it, only once durable (on the committer's
  // thread). An unknown id is a not_found error. `edit` runs under the
  // directory's lock: it must not call back into the directory.
  using Edit = std::function<Status(User&)>;
  void change(storage::GroupCommitter& committer, const Uuid& id, const Edit& edit,
              std::function<void(Result<User>)> done);

 private:
  mutable std::shared_mutex mu_;
  std::mutex change_mu_;
  std::unordered_map<Uuid, User> users_;
  std::unordered_set<std::string> names_;
  // Changes submitted and not yet durable, newest per user: what the next
  // change builds on.
  std::unordered_map<Uuid, User> pending_;

  // With mu_ held: keeps `user` unless the copy here is as new; false then.
  bool keep_newer(const User& user);
  // A write of `user` finished: it is no longer pending (unless a newer one
  // is), is kept if written, and a name nothing holds any more is free.
  void written(const User& user, const Status& s);
};

}  // namespace backbeat::actors
