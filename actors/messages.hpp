#pragma once
// The messages actors exchange. Engine values travel as they are inside one
// process; the cluster work will give them inspect() overloads for the wire.
#include <optional>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "engine/effects.hpp"
#include "engine/events.hpp"
#include "engine/result.hpp"
#include "storage/records.hpp"

namespace backbeat {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Uuid& x) {
  return f(caf::meta::type_name("backbeat::Uuid"), x.hi, x.lo);
}

namespace actors {

using route_atom = caf::atom_constant<caf::atom("bb_route")>;
using apply_atom = caf::atom_constant<caf::atom("bb_apply")>;
using committed_atom = caf::atom_constant<caf::atom("bb_commit")>;
using loaded_atom = caf::atom_constant<caf::atom("bb_loaded")>;
using idle_atom = caf::atom_constant<caf::atom("bb_idle")>;
using stop_atom = caf::atom_constant<caf::atom("bb_stop")>;
using arm_atom = caf::atom_constant<caf::atom("bb_arm")>;
using disarm_atom = caf::atom_constant<caf::atom("bb_disarm")>;
using rescan_atom = caf::atom_constant<caf::atom("bb_rescan")>;
using notify_atom = caf::atom_constant<caf::atom("bb_notify")>;
using notified_atom = caf::atom_constant<caf::atom("bb_notifd")>;
// A link update's owner on another member answered (applied or not); its record is deleted.
using linked_atom = caf::atom_constant<caf::atom("bb_linked")>;
using unlinked_atom = caf::atom_constant<caf::atom("bb_unlinkd")>;
using recover_atom = caf::atom_constant<caf::atom("bb_recover")>;
using stats_atom = caf::atom_constant<caf::atom("bb_stats")>;
using lookup_atom = caf::atom_constant<caf::atom("bb_lookup")>;
using forget_atom = caf::atom_constant<caf::atom("bb_forget")>;
using purge_atom = caf::atom_constant<caf::atom("bb_purge")>;
using archive_atom = caf::atom_constant<caf::atom("bb_archive")>;
using flush_atom = caf::atom_constant<caf::atom("bb_flush")>;
using sweep_atom = caf::atom_constant<caf::atom("bb_sweep")>;
using sweep_next_atom = caf::atom_constant<caf::atom("bb_sweepnx")>;
using fence_atom = caf::atom_constant<caf::atom("bb_fence")>;
// Read the store again now, outside the periodic rescan (a partition arrived).
using reload_atom = caf::atom_constant<caf::atom("bb_reload")>;

// What a workflow actor answers a command with. The workflow snapshot lets
// the gateway present nodes without another read.
struct CommandResult {
  std::optional<Error> error;
  engine::Reply reply;
  std::optional<Workflow> workflow;
};

using Timers = std::vector<Timer>;

}  // namespace actors
}  // namespace backbeat

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::engine::Event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::actors::CommandResult)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::actors::Timers)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::storage::OutboxEntry)
