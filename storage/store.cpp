#include "storage/store.hpp"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/snapshot.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <array>

#include "storage/codec.hpp"
#include "storage/errors.hpp"
#include "storage/keys.hpp"
#include "storage/options.hpp"

namespace backbeat::storage {
namespace {

constexpr const char* kSchemaVersionKey = "schema_version";
constexpr const char* kSchemaVersion = "1";

Error from_rocksdb(const rocksdb::Status& s, std::string_view what) {
  std::string message = std::string(what) + ": " + s.ToString();
  return s.IsCorruption() ? corruption(std::move(message)) : storage_error(std::move(message));
}

std::string where(Family f) { return std::string("column family ") + std::string(family_name(f)); }

// How each family is read decides its tuning:
//  - point lookups (users, workflows, node_index, outbox, meta) get a whole-key
//    bloom filter, so a miss rarely touches a data block;
//  - nodes and status_changes are only ever scanned by a fixed prefix (the
//    workflow, or workflow + node), so they get a prefix extractor and a
//    prefix bloom filter instead, which lets a scan skip files without it;
//  - timers, inflight and search are range/prefix scans of varying prefix
//    length, where no filter helps.
// Index and filter blocks live in the shared cache, so memory is bounded by
// block_cache_bytes rather than growing with the data.
rocksdb::ColumnFamilyOptions family_options(Family f, const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  size_t prefix = 0;
  switch (f) {
    case Family::nodes: prefix = keys::kUuidSize; break;
    case Family::status_changes: prefix = 2 * keys::kUuidSize; break;
    case Family::timers:
    case Family::inflight:
    case Family::search: break;
    default: table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10)); break;
  }
  // Search keys start with a tag and a user id, and one event writes many
  // of them for the same user: the hint lets the memtable start each insert
  // where the previous one with that prefix went (MemTable::Add dominated
  // the committer's profile).
  if (f == Family::search)
    options.memtable_insert_with_hint_prefix_extractor.reset(
        rocksdb::NewFixedPrefixTransform(1 + keys::kUuidSize));
  if (prefix > 0) {
    options.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(prefix));
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.whole_key_filtering = false;
  }
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  tune_compaction(f, options);  // storage/options.cpp
  return options;
}

rocksdb::DBOptions db_options(const StoreOptions& o) {
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.IncreaseParallelism(o.background_threads);
  // With ten families, a rarely written one pins old WAL files (and their
  // replay time) until it flushes; these caps force that flush early and
  // bound memtable memory across all families together.
  options.max_total_wal_size = uint64_t{64} << 20;
  options.db_write_buffer_size = size_t{64} << 20;
  options.keep_log_file_num = 5;
  tune_logs(options);  // storage/options.cpp
  return options;
}

}  // namespace

struct Store::Impl {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // [0] is "default"

  ~Impl() {
    // RocksDB requires handles to go before the database they belong to.
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    db.reset();
  }

  rocksdb::ColumnFamilyHandle* cf(Family f) const { return handles[1 + static_cast<size_t>(f)]; }

  Result<std::optional<std::string>> get(Family f, const std::string& key) const {
    rocksdb::PinnableSlice value;
    auto s = db->Get(rocksdb::ReadOptions(), cf(f), key, &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return from_rocksdb(s, "read from " + where(f));
    return std::optional<std::string>(value.ToString());
  }

  template <class T>
  Result<std::optional<T>> get_record(Family f, const std::string& key) const {
    auto bytes = get(f, key);
    if (!bytes) return bytes.error();
    if (!*bytes) return std::optional<T>();
    auto record = decode<T>(**bytes);
    if (!record) return record.error();
    return std::optional<T>(std::move(record).value());
  }

  // Visits keys in [lower, upper) in order (upper empty: to the end) until
  // `visit` returns false or an Error. `by_prefix` promises every key in the
  // range shares lower's prefix, which lets the prefix bloom filter work.
  template <class Visit>
  Status scan(Family f, const std::string& lower, const std::string& upper, bool by_prefix,
              Visit&& visit) const {
    rocksdb::ReadOptions read;
    rocksdb::Slice bound(upper);  // must outlive the iterator
    if (!upper.empty()) read.iterate_upper_bound = &bound;
    read.prefix_same_as_start = by_prefix;
    read.total_order_seek = !by_prefix;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(read, cf(f)));
    for (it->Seek(lower); it->Valid(); it->Next()) {
      Result<bool> more = visit(std::string_view(it->key().data(), it->key().size()),
                                std::string_view(it->value().data(), it->value().size()));
      if (!more) return more.error();
      if (!*more) return ok_status();
    }
    if (!it->status().ok()) return from_rocksdb(it->status(), "scan of " + where(f));
    return ok_status();
  }

  template <class T>
  Result<std::vector<T>> collect(Family f, const std::string& prefix) const {
    std::vector<T> out;
    auto status = scan(f, prefix, keys::prefix_end(prefix), !prefix.empty(),
                       [&](std::string_view, std::string_view value) -> Result<bool> {
                         auto record = decode<T>(value);
                         if (!record) return record.error();
                         out.push_back(std::move(record).value());
                         return true;
                       });
    if (!status) return status.error();
    return out;
  }

  // For families whose keys are the whole record.
  template <class T, class Parse>
  Result<std::vector<T>> collect_keys(Family f, const std::string& upper, size_t limit,
                                      Parse parse) const {
    std::vector<T> out;
    auto status = scan(f, {}, upper, false, [&](std::string_view key, std::string_view) -> Result<bool> {
      if (out.size() >= limit) return false;
      auto parsed = parse(key);
      if (!parsed) return corruption("malformed key in " + where(f));
      out.push_back(std::move(*parsed));
      return true;
    });
    if (!status) return status.error();
    return out;
  }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::open(const std::string& dir, const StoreOptions& options) {
  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  // RocksDB insists on a "default" family; nothing is stored in it.
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, family_options(Family::meta, cache));
  for (size_t i = 0; i < kFamilyCount; ++i) {
    auto f = static_cast<Family>(i);
    descriptors.emplace_back(std::string(family_name(f)), family_options(f, cache));
  }
  auto impl = std::make_unique<Impl>();
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(db_options(options), dir, descriptors, &impl->handles, &raw);
  if (!s.ok()) return from_rocksdb(s, "cannot open " + dir);
  impl->db.reset(raw);
  std::unique_ptr<Store> store(new Store(std::move(impl)));

  auto version = store->get_meta(kSchemaVersionKey);
  if (!version) return version.error();
  if (!*version) {
    WriteSet stamp;
    stamp.put_meta(kSchemaVersionKey, kSchemaVersion);
    if (auto written = store->write(std::move(stamp), true); !written) return written.error();
  } else if (**version != kSchemaVersion) {
    return corruption(dir + " holds schema version " + **version + ", expected " + kSchemaVersion);
  }
  return store;
}

Result<std::optional<User>> Store::get_user(const Uuid& id) const {
  return impl_->get_record<User>(Family::users, keys::user(id));
}

Result<std::vector<User>> Store::list_users() const { return impl_->collect<User>(Family::users, {}); }

Result<std::optional<Workflow>> Store::get_workflow(const Uuid& id) const {
  return impl_->get_record<Workflow>(Family::workflows, keys::workflow(id));
}

Result<std::optional<Node>> Store::get_node(const Uuid& workflow_id, const Uuid& node_id) const {
  return impl_->get_record<Node>(Family::nodes, keys::node(workflow_id, node_id));
}

Result<std::vector<Node>> Store::load_nodes(const Uuid& workflow_id) const {
  auto nodes = impl_->collect<Node>(Family::nodes, keys::node_prefix(workflow_id));
  if (nodes) {
    std::stable_sort(nodes->begin(), nodes->end(),
                     [](const Node& a, const Node& b) { return a.seq < b.seq; });
  }
  return nodes;
}

Result<std::optional<NodeLocation>> Store::find_node(const Uuid& node_id) const {
  auto value = impl_->get(Family::node_index, keys::node_index(node_id));
  if (!value) return value.error();
  if (!*value) return std::optional<NodeLocation>();
  auto location = keys::parse_node_location(**value);
  if (!location) return corruption("malformed node_index entry for " + node_id.str());
  return location;
}

Result<std::vector<StatusChange>> Store::status_changes(const Uuid& workflow_id,
                                                        const Uuid& node_id) const {
  return impl_->collect<StatusChange>(Family::status_changes,
                                      keys::status_change_prefix(workflow_id, node_id));
}

Result<std::vector<Timer>> Store::timers_due_before(Millis until, size_t limit) const {
  return impl_->collect_keys<Timer>(Family::timers, keys::timers_after(until), limit,
                                    keys::parse_timer);
}

Result<std::vector<std::pair<Uuid, Uuid>>> Store::inflight_callbacks() const {
  return impl_->collect_keys<std::pair<Uuid, Uuid>>(Family::inflight, {}, SIZE_MAX,
                                                    keys::parse_inflight);
}

Result<std::vector<OutboxEntry>> Store::load_outbox() const {
  auto entries = impl_->collect<OutboxEntry>(Family::outbox, {});
  if (entries) {
    std::stable_sort(entries->begin(), entries->end(), [](const auto& a, const auto& b) {
      return a.created_at < b.created_at;
    });
  }
  return entries;
}

Result<std::optional<std::string>> Store::get_meta(const std::string& key) const {
  return impl_->get(Family::meta, key);
}

namespace {

class RocksCursor final : public KeyCursor {
 public:
  RocksCursor(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, const rocksdb::Snapshot* snapshot,
              std::string prefix)
      : prefix_(std::move(prefix)), upper_(keys::prefix_end(prefix_)), bound_(upper_) {
    rocksdb::ReadOptions read;
    read.snapshot = snapshot;
    // Search prefixes vary in length and are shorter than the fixed prefix
    // some families are tuned for, so seek in total order.
    read.total_order_seek = true;
    if (!upper_.empty()) read.iterate_upper_bound = &bound_;
    it_.reset(db->NewIterator(read, cf));
  }

  Result<bool> seek(std::string_view suffix) override {
    std::string target = prefix_;
    target.append(suffix);
    it_->Seek(target);
    return position();
  }
  Result<bool> next() override {
    it_->Next();
    return position();
  }
  std::string_view suffix() const override {
    return std::string_view(it_->key().data(), it_->key().size()).substr(prefix_.size());
  }
  std::string_view value() const override {
    return std::string_view(it_->value().data(), it_->value().size());
  }

 private:
  Result<bool> position() const {
    if (it_->Valid()) return it_->key().starts_with(prefix_);
    if (!it_->status().ok()) return from_rocksdb(it_->status(), "index scan");
    return false;
  }

  std::string prefix_;
  std::string upper_;
  rocksdb::Slice bound_;  // points into upper_; must outlive the iterator
  std::unique_ptr<rocksdb::Iterator> it_;
};

class RocksView final : public ReadView {
 public:
  RocksView(rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> handles)
      : db_(db), handles_(std::move(handles)), snapshot_(db), at_(snapshot_.snapshot()) {}

  Result<std::optional<std::string>> get(Family f, const std::string& key) const override {
    rocksdb::ReadOptions read;
    read.snapshot = at_;
    rocksdb::PinnableSlice value;
    auto s = db_->Get(read, cf(f), key, &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return from_rocksdb(s, "read from " + where(f));
    return std::optional<std::string>(value.ToString());
  }

  std::unique_ptr<KeyCursor> cursor(Family f, std::string prefix) const override {
    return std::make_unique<RocksCursor>(db_, cf(f), at_, std::move(prefix));
  }

 private:
  rocksdb::ColumnFamilyHandle* cf(Family f) const { return handles_[1 + static_cast<size_t>(f)]; }

  rocksdb::DB* db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ManagedSnapshot snapshot_;  // released when the view goes
  const rocksdb::Snapshot* at_;
};

}  // namespace

std::unique_ptr<ReadView> Store::view() const {
  return std::make_unique<RocksView>(impl_->db.get(), impl_->handles);
}

Status Store::write(WriteSet&& set, bool sync) { return write(std::span<const WriteSet>(&set, 1), sync); }

Status Store::write(std::span<const WriteSet> sets, bool sync) {
  rocksdb::WriteBatch batch;
  for (const WriteSet& set : sets) {
    if (set.error()) return *set.error();
    for (const WriteOp& op : set.ops()) {
      auto s = op.erase ? batch.Delete(impl_->cf(op.family), op.key)
                        : batch.Put(impl_->cf(op.family), op.key, op.value);
      if (!s.ok()) return from_rocksdb(s, "cannot batch a write to " + where(op.family));
    }
  }
  if (batch.Count() == 0) return ok_status();
  rocksdb::WriteOptions options;
  options.sync = sync;
  auto s = impl_->db->Write(options, &batch);
  if (!s.ok()) return from_rocksdb(s, "write failed");
  return ok_status();
}

}  // namespace backbeat::storage
