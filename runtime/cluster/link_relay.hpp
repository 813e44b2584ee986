#pragma once
// Link updates crossing members (docs/cluster.md, "Routing"): the sender's
// notifier hands one to its agent (AgentLink::deliver_link), which asks the
// owner's agent; that one applies it through its registry and answers true
// only once the target's batch is durable. Internal to runtime/cluster.
#include <string>

#include <caf/all.hpp>

#include "runtime/cluster/agent_state.hpp"

namespace backbeat::cluster {

// Agent to agent: (link_atom, WireLink) -> bool applied.
using link_atom = caf::atom_constant<caf::atom("bb_link")>;

// Sender's side: asks `member`'s agent; `done` hears false when it is not
// connected, refuses or does not answer within the forward timeout.
void send_link(AgentSelf* self, const std::string& member, const WireLink& link,
               const LinkDone& done);

// Owner's side.
caf::result<bool> take_remote_link(AgentSelf* self, const WireLink& link);

}  // namespace backbeat::cluster
