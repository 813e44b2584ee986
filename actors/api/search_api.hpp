#pragma once
// Read-only listings served from the search indexes (storage/search.hpp):
// workflow and activity search (contract §12.1, §12.2, §19), workflow names
// (§9.1) and the debug error listing (§9.3). Declared apart from
// handlers.hpp so the search feature stays in its own two files.
#include "actors/api/call.hpp"

namespace backbeat::actors::api {

void search_workflows(Call call);
void search_activities(Call call);
void workflow_names(Call call);
void error_workflows(Call call);  // /v2/debug/error_workflows only

}  // namespace backbeat::actors::api
