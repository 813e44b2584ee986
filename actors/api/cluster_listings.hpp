#pragma once
// The listings a cluster's gateway gathers from every member and merges
// (docs/cluster.md, "Searches"): the gateway's side of the routes placed
// Where::everywhere. Each member runs the route's own handler on its data;
// a member that does not answer makes the listing a 503, never a short one.
#include "actors/api/call.hpp"

namespace backbeat::actors::api {

void gather_workflow_search(Call call);
void gather_activity_search(Call call);
void gather_workflow_names(Call call);
void gather_error_workflows(Call call);
void gather_errored_report(Call call);

}  // namespace backbeat::actors::api
