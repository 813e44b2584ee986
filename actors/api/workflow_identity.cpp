#include "actors/api/workflow_identity.hpp"

namespace backbeat::actors::api {
namespace {

// Fixed forever: changing it orphans every stored workflow.
const Uuid kWorkflowNamespace = *Uuid::parse("0d5b7c4e-2f1a-5b8e-9c3d-6a7f8e9b0c1d");

}  // namespace

Uuid workflow_id_for(const Uuid& user, const std::string& name, const std::string& subject) {
  return Uuid::from_name(kWorkflowNamespace, user.str() + "\n" + name + "\n" + subject);
}

}  // namespace backbeat::actors::api
