#pragma once
// Per-tenant quotas (docs/security.md): what one user may hold at once, so
// no tenant can take what the others need. Defaults for every user, with
// per-user overrides, both from the config.
#include <cstdint>
#include <unordered_map>

#include "engine/uuid.hpp"

namespace backbeat::actors {

struct Quotas {
  int64_t decisions_per_request = 1000;  // one POST .../decisions; past it 413
  int64_t nodes_per_workflow = 100000;   // ever created in one workflow; past it 409
  int64_t commands_in_flight = 5000;     // this user's commands awaiting an actor; 429
  // Callbacks queued or on their way for this user's workflows (whoever's
  // endpoint they go to); past it the user's new work is refused with 429.
  int64_t callbacks_queued = 5000;
  friend bool operator==(const Quotas&, const Quotas&) = default;
};

class QuotaBook {
 public:
  QuotaBook() = default;
  QuotaBook(Quotas defaults, std::unordered_map<Uuid, Quotas> per_user)
      : defaults_(defaults), per_user_(std::move(per_user)) {}

  const Quotas& of(const Uuid& user) const {
    auto it = per_user_.find(user);
    return it == per_user_.end() ? defaults_ : it->second;
  }

 private:
  Quotas defaults_;
  std::unordered_map<Uuid, Quotas> per_user_;
};

}  // namespace backbeat::actors
