#pragma once
// Secondary indexes: what lets search, /workflows/names and the error
// listing read only the asking user's entries, already in the order they
// answer in, instead of scanning records. They live in Family::search, one
// leading tag byte per index, and are written by index_workflow/index_nodes
// into the same WriteSet as the records they describe, so an index never
// disagrees with a durable record.
//
// Layout ("order" = order_key below, 24 bytes; texts are self-delimiting):
//   workflows          user | order                          -> ""
//   workflow names     user | name | order                   -> ""
//   workflow status    user | type | status | order | node   -> ""   (now)
//   workflow past      user | status | order                 -> ""   (ever)
//   workflow times     wf | time | node | index              -> ""
//   workflow times to  wf | status | time | node | index     -> ""
//   nodes              user | order                          -> wf id
//   node names         user | name | order                   -> wf id
//   node status        user | type | status | order          -> wf id (now)
//   node past          user | status | order                 -> wf id (ever)
// Workflow entries use the workflow's user; node entries the node's own user
// (a client_id override makes them differ), matching who may search them.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "runtime/engine/model.hpp"
#include "storage/write_set.hpp"

namespace backbeat::storage::index {

// Where a record sorts in every listing: created_at descending, then id
// descending. Both parts are stored bit-inverted, big-endian, so RocksDB's
// ascending byte order is the listing order and paging is a seek.
inline constexpr size_t kOrderKeySize = 24;
std::string order_key(Millis created_at, const Uuid& id);
// The id inside an order key (its first kOrderKeySize bytes).
std::optional<Uuid> id_of(std::string_view order_key);

// Ascending time (8 bytes), as in the workflow times indexes.
std::string time_key(Millis t);
std::optional<Millis> time_of(std::string_view key);

// Order-preserving, self-delimiting text: 0x00 becomes 00 FF, and 00 01
// ends it, so "a" < "a\0" < "ab" still holds and no text is a key prefix of
// another's encoding (a name never matches a longer name's entries).
void append_text(std::string& out, std::string_view text);
// Reads one encoded text from the front of `in` and drops it from `in`.
std::optional<std::string> read_text(std::string_view& in);

// Prefixes. Each one below is followed by an order key unless noted.
std::string workflows(const Uuid& user);
std::string workflow_names(const Uuid& user);  // followed by text, then order key
std::string workflows_named(const Uuid& user, std::string_view name);
std::string workflows_in_status(const Uuid& user, StatusType type, std::string_view status);
std::string workflows_ever_in(const Uuid& user, std::string_view status);
// Followed by time_key, node, index: one entry per status change row.
std::string workflow_times(const Uuid& workflow_id);
std::string workflow_times_to(const Uuid& workflow_id, std::string_view to_status);
std::string nodes(const Uuid& user);
std::string nodes_named(const Uuid& user, std::string_view name);
std::string nodes_in_status(const Uuid& user, StatusType type, std::string_view status);
std::string nodes_ever_in(const Uuid& user, std::string_view status);

// Entries of a workflow. Its user, name and created_at never change, so this
// is idempotent and may run on every change of the workflow.
void index_workflow(WriteSet& w, const Workflow& wf);

// Entries after one engine apply: `changed` are the nodes it changed, as they
// are now, `rows` every status change row it wrote (any node).
void index_nodes(WriteSet& w, const Workflow& wf, std::span<const Node* const> changed,
                 std::span<const StatusChange> rows);

}  // namespace backbeat::storage::index
