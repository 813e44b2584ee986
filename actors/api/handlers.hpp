#pragma once
// Every API operation, one function each, grouped by resource.
#include "actors/api/call.hpp"

namespace backbeat::actors::api {

// users_api.cpp (admin token)
void create_user(Call call);
void list_users(Call call);
void get_user(Call call);
void rotate_token(Call call);  // POST /users/:id/token
void set_disabled(Call call);  // PUT (disable, or {"disabled":false}) / DELETE /users/:id/disabled
void list_grants(Call call);   // GET /users/:id/grants
void set_grant(Call call);     // PUT (grant) / DELETE (revoke) /users/:id/grants/:other

// workflows_api.cpp
void find_or_create_workflow(Call call);
void find_workflow(Call call);
void get_workflow(Call call);
void signal_workflow(Call call);
// The workflow with this id if it belongs to the caller, else 404.
Result<Workflow> owned_workflow(const Call& call, const Uuid& id);

// workflow_controls_api.cpp
void complete_workflow(Call call);
void pause_workflow(Call call);
void resume_workflow(Call call);
void workflow_children(Call call);
void workflow_nodes(Call call);
void workflow_tree(Call call);
void workflow_tree_print(Call call);

// activities_api.cpp
void add_decisions(Call call);
void update_status(Call call);
void get_activity(Call call);
void get_status_changes(Call call);
void get_errors(Call call);
void get_response(Call call);
void restart_activity(Call call);
void reset_activity(Call call);
void schedule_activity(Call call);

// admin_api.cpp (admin token)
void get_drain(Call call);
void set_drain(Call call);
void errored_report(Call call);
// Most rows one status may contribute per user to that report: it is for people.
inline constexpr size_t kReportRowsPerStatus = 1000;

// retention_api.cpp (admin token)
void get_retention(Call call);
void sweep_retention(Call call);  // one sweep step now; 409 while retention is off

// cluster_api.cpp (admin token)
void cluster_status(Call call);  // GET /admin/cluster
void drain_member(Call call);    // PUT /admin/cluster/members/:member/drain
void undrain_member(Call call);  // DELETE /admin/cluster/members/:member/drain

// internal_api.cpp (members only)
void node_owner(Call call);  // GET /internal/nodes/:id/owner -> {"userId"}

// health_api.cpp (no authentication)
void health(Call call);
void heartbeat(Call call);
void metrics(Call call);  // Prometheus text

}  // namespace backbeat::actors::api
