// Routes members ask each other, never clients (Access::members_only).
#include "actors/api/handlers.hpp"
#include "actors/api/fields.hpp"
#include "engine/not_found.hpp"

namespace backbeat::actors::api {

// Whose node this is: what a member vetting a parent_link_id into a
// partition it does not own needs to know (node_vetting.hpp).
void node_owner(Call call) {
  auto id = id_from_path(call.params.value("id", ""));
  if (!id) return call.fail(id.error());
  auto loc = call.svc->store->find_node(*id);
  if (!loc) return call.fail(loc.error());
  if (!*loc) return call.fail(engine::node_not_found(*id));
  call.reply(200, {{"userId", (*loc)->user_id.str()}});
}

}  // namespace backbeat::actors::api
