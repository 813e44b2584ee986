#pragma once
// Durable state in one RocksDB database, one column family per record kind
// (family.hpp, keys.hpp). Reads are direct; every change goes through a
// WriteSet so one engine event lands atomically. Safe to use from many
// threads at once. No exception escapes: failures come back as Errors of
// kind `internal` (storage_error / corruption, errors.hpp).
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/model.hpp"
#include "engine/result.hpp"
#include "storage/read_view.hpp"
#include "storage/records.hpp"
#include "storage/write_set.hpp"

namespace backbeat::storage {

struct StoreOptions {
  size_t block_cache_bytes = size_t{64} << 20;  // shared by every family
  int background_threads = 2;                   // flushes and compactions
};

class Store {
 public:
  // Creates the database and any missing family. Refuses a database written
  // with another schema version rather than misread it.
  static Result<std::unique_ptr<Store>> open(const std::string& dir,
                                             const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Result<std::optional<User>> get_user(const Uuid& user_id) const;
  Result<std::vector<User>> list_users() const;  // by id
  Result<std::optional<Workflow>> get_workflow(const Uuid& workflow_id) const;
  Result<std::optional<Node>> get_node(const Uuid& workflow_id, const Uuid& node_id) const;
  Result<std::vector<Node>> load_nodes(const Uuid& workflow_id) const;  // by seq
  Result<std::optional<NodeLocation>> find_node(const Uuid& node_id) const;
  Result<std::vector<StatusChange>> status_changes(const Uuid& workflow_id,
                                                   const Uuid& node_id) const;  // by index
  // Timers with due <= until, earliest first, at most `limit`.
  Result<std::vector<Timer>> timers_due_before(Millis until, size_t limit) const;
  Result<std::vector<std::pair<Uuid, Uuid>>> inflight_callbacks() const;  // (wf, node)
  Result<std::vector<OutboxEntry>> load_outbox() const;  // oldest first
  Result<std::optional<std::string>> get_meta(const std::string& key) const;
  // A consistent view for multi-step reads (search). Holds a snapshot until
  // destroyed, so keep it for one request, and never past the Store.
  std::unique_ptr<ReadView> view() const;

  // Applies the sets as one atomic batch; with `sync` it is on disk when this
  // returns. A set carrying an encode error fails the whole call, unapplied.
  // Writing nothing is a successful no-op.
  Status write(WriteSet&& set, bool sync);
  Status write(std::span<const WriteSet> sets, bool sync);

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;  // keeps RocksDB's headers out of ours
};

}  // namespace backbeat::storage
