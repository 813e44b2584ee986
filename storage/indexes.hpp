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
//   nodes              user | order                          -> wf id
//   node names         user | name | order                   -> wf id
//   node status        user | type | status | order          -> wf id (now)
//   node past          user | status | order                 -> wf id (ever)
//   complete workflows created_at (ascending) | wf           -> ""   (retention)
// Workflow entries use the workflow's user; node entries the node's own user
// (a client_id override makes them differ), matching who may search them.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "engine/model.hpp"
#include "storage/write_set.hpp"

namespace backbeat::storage::index {

// Where a record sorts in every listing: created_at descending, then id
// descending. Both parts are stored bit-inverted, big-endian, so RocksDB's
// ascending byte order is the listing order and paging is a seek.
inline constexpr size_t kOrderKeySize = 24;
std::string order_key(Millis created_at, const Uuid& id);
// The id and the creation time inside an order key (its first
// kOrderKeySize bytes).
std::optional<Uuid> id_of(std::string_view order_key);
std::optional<Millis> created_at_of(std::string_view order_key);

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
std::string nodes(const Uuid& user);
std::string nodes_named(const Uuid& user, std::string_view name);
std::string nodes_in_status(const Uuid& user, StatusType type, std::string_view status);
std::string nodes_ever_in(const Uuid& user, std::string_view status);

// Complete workflows, oldest created first: the queue retention sweeps
// (actors/retention_actor.cpp). A workflow's last change is never before its
// creation, so those created after a cutoff need no look. The entry is put
// whenever a complete workflow's record is written (complete is a one-way
// flag) and goes with the workflow's other records when retention deletes it.
inline constexpr size_t kCompletedSuffixSize = 8 + 16;
std::string completed_workflows();  // the prefix of every entry; suffixes follow
std::string completed_suffix(Millis created_at, const Uuid& workflow_id);
std::optional<std::pair<Millis, Uuid>> parse_completed(std::string_view suffix);
// Idempotent; puts nothing while the workflow is not complete.
void index_completion(WriteSet& w, const Workflow& wf);

// Entries of a new workflow. Its user, name and created_at never change, so
// they are written once.
void index_workflow(WriteSet& w, const Workflow& wf);

// Entries after one engine apply: `changed` are the nodes it changed, as they
// are now, `created` the ids among them that are new, `rows` every status
// change row it wrote (any node).
void index_nodes(WriteSet& w, const Workflow& wf, std::span<const Node* const> changed,
                 std::span<const Uuid> created, std::span<const StatusChange> rows);

}  // namespace backbeat::storage::index
