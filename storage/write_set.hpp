#pragma once
// One engine event's changes, applied atomically. A WriteSet only records
// operations; Store turns them into one RocksDB batch. Keeping RocksDB out
// of it lets any thread build one without a Store, and lets the group
// committer merge many by replaying them.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/model.hpp"
#include "engine/result.hpp"
#include "storage/family.hpp"
#include "storage/records.hpp"

namespace backbeat::storage {

struct WriteOp {
  Family family;
  bool erase = false;  // delete `key`; otherwise put `value` at `key`
  std::string key;
  std::string value;
};

class WriteSet {
 public:
  void put_user(const User& user);
  void put_workflow(const Workflow& workflow);
  void put_node(const Node& node);
  // A node's workflow and user never change, so node_index is written once.
  void put_new_node(const Node& node);
  void add_status_change(const Uuid& workflow_id, const StatusChange& change);
  void set_timer(const Timer& timer);
  void clear_timer(const Timer& timer);  // must equal the Timer that was set
  void set_inflight(const Uuid& workflow_id, const Uuid& node_id);
  void clear_inflight(const Uuid& workflow_id, const Uuid& node_id);
  void put_outbox(const OutboxEntry& entry);
  void delete_outbox(const Uuid& entry_id);
  void put_meta(const std::string& key, const std::string& value);
  // Secondary index entries (Family::search). The keys come from indexes.hpp,
  // which also decides when they change; WriteSet only carries them, so
  // they land in the same batch as the records they describe.
  void put_index(std::string key, std::string value = {});
  void erase_index(std::string key);
  // Deletes every key `other` writes or deletes, each once, in any family.
  // Retention deletes a workflow this way: it lays the workflow out with
  // the writers above and erases what they would write, so no second copy
  // of the key layout can drift from the first.
  void erase_keys_of(const WriteSet& other);
  // Takes `other`'s operations after this set's, so both apply in one
  // atomic write (and both fail with the first encode error either has).
  void append(WriteSet&& other);

  bool empty() const { return ops_.empty() && !error_; }
  size_t count() const { return ops_.size(); }
  size_t byte_size() const { return bytes_; }

  // Set when a record could not be encoded. Such a set is refused whole by
  // Store::write, so an event is never half-applied.
  const std::optional<Error>& error() const { return error_; }
  const std::vector<WriteOp>& ops() const { return ops_; }

 private:
  template <class T>
  void put_record(Family family, std::string key, const T& record);
  void put(Family family, std::string key, std::string value);
  void erase(Family family, std::string key);

  std::vector<WriteOp> ops_;
  size_t bytes_ = 0;
  std::optional<Error> error_;
};

}  // namespace backbeat::storage
