#include "actors/archive_actor.hpp"

#include <memory>
#include <vector>

#include "actors/messages.hpp"
#include "storage/archive_log.hpp"

namespace backbeat::actors {
namespace {

struct ArchiveState {
  std::function<Millis()> clock;
  std::atomic<uint64_t>* archived = nullptr;
  std::unique_ptr<storage::ArchiveLog> log;
  std::vector<std::string> lines;  // waiting for the next flush
  std::vector<caf::response_promise> waiting;
  bool flush_queued = false;
  static inline const char* name = "backbeat.archiver";
};

using ArchiveSelf = caf::stateful_actor<ArchiveState>;

caf::behavior archiver(ArchiveSelf* self, std::function<Millis()> clock,
                       std::atomic<uint64_t>* archived, std::string dir) {
  self->state.clock = std::move(clock);
  self->state.archived = archived;
  self->state.log = std::make_unique<storage::ArchiveLog>(std::move(dir));
  return {
      [=](archive_atom, std::string& line) -> caf::result<std::string> {
        auto& st = self->state;
        st.lines.push_back(std::move(line));
        st.waiting.push_back(self->make_response_promise());
        // Behind every line already in the mailbox: they share its fsync.
        if (!st.flush_queued) self->send(self, flush_atom::value);
        st.flush_queued = true;
        return st.waiting.back();
      },
      [=](flush_atom) {
        auto& st = self->state;
        st.flush_queued = false;
        const Status written = st.log->append(st.lines, st.clock());
        if (written) *st.archived += st.lines.size();
        const std::string why = written ? std::string() : written.error().message;
        for (caf::response_promise& p : st.waiting) p.deliver(why);
        st.lines.clear();
        st.waiting.clear();
      },
  };
}

}  // namespace

caf::actor spawn_archiver(caf::actor_system& system, std::function<Millis()> clock,
                          std::atomic<uint64_t>* archived, std::string dir) {
  return system.spawn<caf::detached>(archiver, std::move(clock), archived, std::move(dir));
}

}  // namespace backbeat::actors
