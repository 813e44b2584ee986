#pragma once
// The node's engine::TenantPolicy: grants from the user directory, node
// limits from the quota book. With open_cross_user (auth.open_cross_user, a
// migration aid) any user may involve any other, as the original allowed.
#include "actors/quotas.hpp"
#include "actors/user_directory.hpp"
#include "engine/tenant_policy.hpp"

namespace backbeat::actors {

class TenantRules final : public engine::TenantPolicy {
 public:
  // Both outlive the rules.
  TenantRules(const UserDirectory& users, const QuotaBook& quotas, bool open_cross_user)
      : users_(users), quotas_(quotas), open_(open_cross_user) {}

  bool may_involve(const Uuid& requester, const Uuid& other) const override {
    return open_ || users_.grants(requester, other);
  }
  uint64_t max_nodes_per_workflow(const Uuid& owner) const override {
    return uint64_t(quotas_.of(owner).nodes_per_workflow);
  }

 private:
  const UserDirectory& users_;
  const QuotaBook& quotas_;
  const bool open_;
};

}  // namespace backbeat::actors
