#pragma once
// Every API operation, one function each, grouped by resource.
#include "actors/api/call.hpp"

namespace backbeat::actors::api {

// users_api.cpp (admin token)
void create_user(Call call);
void list_users(Call call);
void get_user(Call call);

// workflows_api.cpp
void find_or_create_workflow(Call call);
void find_workflow(Call call);
void get_workflow(Call call);
void signal_workflow(Call call);

// activities_api.cpp
void add_decisions(Call call);
void update_status(Call call);
void get_activity(Call call);
void get_status_changes(Call call);
void get_errors(Call call);
void get_response(Call call);

// health_api.cpp (no authentication)
void health(Call call);
void heartbeat(Call call);

}  // namespace backbeat::actors::api
