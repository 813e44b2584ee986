#include "actors/api/workflow_identity.hpp"

#include "net/contract/json_text.hpp"

namespace backbeat::actors::api {
namespace {

// Fixed forever: changing it orphans every stored workflow.
const Uuid kWorkflowNamespace = *Uuid::parse("0d5b7c4e-2f1a-5b8e-9c3d-6a7f8e9b0c1d");

}  // namespace

Uuid workflow_id_for(const Uuid& user, const std::string& name, const std::string& subject) {
  return Uuid::from_name(kWorkflowNamespace, user.str() + "\n" + name + "\n" + subject);
}

CreatedWorkflow created_workflow(const Uuid& user, const WorkflowKey& key) {
  std::string subject = contract::dump_json(key.subject);
  const Uuid id = workflow_id_for(user, key.name, subject);
  return {id, std::move(subject)};
}

std::vector<Uuid> looked_up_workflows(const Uuid& user, const WorkflowKey& key) {
  std::vector<Uuid> out;
  for (const std::string& subject : lookup_subjects(key.subject))
    out.push_back(workflow_id_for(user, key.name, subject));
  return out;
}

}  // namespace backbeat::actors::api
