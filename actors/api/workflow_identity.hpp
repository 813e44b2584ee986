#pragma once
// A workflow's id is derived from what identifies it (user, name, subject):
// concurrent creates of the same workflow meet in one actor, and a lookup is
// a point read. Shared by the API and by tools that write workflows
// straight into a data dir (tests/seed), which must name them the same way.
#include <string>

#include "runtime/engine/uuid.hpp"

namespace backbeat::actors::api {

// `subject` is the stored JSON text (net::dump_json of the normalised value).
Uuid workflow_id_for(const Uuid& user, const std::string& name, const std::string& subject);

}  // namespace backbeat::actors::api
