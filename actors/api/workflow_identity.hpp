#pragma once
// A workflow's id is derived from what identifies it (user, name, subject):
// concurrent creates of the same workflow meet in one actor, a lookup is a
// point read, and in a cluster any gateway knows the workflow's partition
// before anything exists. Shared by the API and by tools that write
// workflows straight into a data dir (tests/seed), which must name them the
// same way.
#include <string>
#include <vector>

#include "actors/api/inputs.hpp"
#include "engine/uuid.hpp"

namespace backbeat::actors::api {

// `subject` is the stored JSON text (contract::dump_json of the normalised value).
Uuid workflow_id_for(const Uuid& user, const std::string& name, const std::string& subject);

// The workflow a create (POST /workflows) names, and the subject text it stores.
struct CreatedWorkflow {
  Uuid id;
  std::string subject;
};
CreatedWorkflow created_workflow(const Uuid& user, const WorkflowKey& key);

// The workflows a lookup (GET /workflows) may mean, in the order they are
// tried: one per text of lookup_subjects.
std::vector<Uuid> looked_up_workflows(const Uuid& user, const WorkflowKey& key);

}  // namespace backbeat::actors::api
