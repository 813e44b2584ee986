#pragma once
// Writes retention's audit lines (storage/archive_log.hpp) on its own thread,
// because it waits for the disk: every line that arrives while one fsync is
// under way shares the next one, so archiving a batch of workflows costs a
// few fsyncs, not one each, and no actor worker ever blocks on the file.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include <caf/all.hpp>

#include "engine/model.hpp"

namespace backbeat::actors {

// Messages: (archive_atom, std::string line) -> std::string: empty once the
// line is durable, else why it is not.
// Each line is stamped with `clock`; `archived` counts the lines written
// (Metrics) and outlives the actor.
caf::actor spawn_archiver(caf::actor_system& system, std::function<Millis()> clock,
                          std::atomic<uint64_t>* archived, std::string dir);

}  // namespace backbeat::actors
