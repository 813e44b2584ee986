#include "runtime/cluster/durable_writes.hpp"

#include <unordered_map>
#include <utility>

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::storage::WriteSet)

namespace backbeat::cluster {
namespace {

using write_atom = caf::atom_constant<caf::atom("bb_write")>;
using written_atom = caf::atom_constant<caf::atom("bb_wrote")>;

struct WriterState {
  uint64_t next_ticket = 0;
  std::unordered_map<uint64_t, caf::response_promise> waiting;
  static inline const char* name = "backbeat.durable_writer";
};

using WriterSelf = caf::stateful_actor<WriterState>;

caf::behavior durable_writer(WriterSelf* self, storage::GroupCommitter* committer) {
  return {
      [=](write_atom, storage::WriteSet& writes) -> caf::result<std::string> {
        auto promise = self->make_response_promise();
        const uint64_t ticket = ++self->state.next_ticket;
        self->state.waiting.emplace(ticket, promise);
        // The committer calls back on its own thread: back into the mailbox.
        committer->submit(std::move(writes), [me = caf::actor{self}, ticket](const Status& s) {
          caf::anon_send(me, written_atom::value, ticket,
                         s.ok() ? std::string() : s.error().message);
        });
        return promise;
      },
      [=](written_atom, uint64_t ticket, std::string& why) {
        auto it = self->state.waiting.find(ticket);
        if (it == self->state.waiting.end()) return;
        it->second.deliver(std::move(why));
        self->state.waiting.erase(it);
      },
  };
}

}  // namespace

caf::actor spawn_durable_writer(caf::event_based_actor* owner, storage::GroupCommitter* committer) {
  return owner->spawn<caf::linked>(durable_writer, committer);
}

void write_durably(caf::event_based_actor* self, const caf::actor& writer, storage::WriteSet writes,
                   Written then) {
  self->request(writer, caf::infinite, write_atom::value, std::move(writes))
      .await([then](std::string& why) { then(why); },
             [then](caf::error& e) { then("the write was not confirmed: " + to_string(e)); });
}

}  // namespace backbeat::cluster
