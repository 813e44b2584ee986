#include "storage/options.hpp"

#include <rocksdb/convenience.h>
#include <rocksdb/utilities/table_properties_collectors.h>

#include <algorithm>
#include <vector>

namespace backbeat::storage {
namespace {

bool supported(rocksdb::CompressionType type) {
  static const std::vector<rocksdb::CompressionType> available =
      rocksdb::GetSupportedCompressions();
  return std::find(available.begin(), available.end(), type) != available.end();
}

// Families whose records retention deletes by the thousand (every record of
// a workflow); timers, inflight and outbox lose theirs in the normal course.
bool purged_by_retention(Family f) {
  switch (f) {
    case Family::workflows:
    case Family::nodes:
    case Family::node_index:
    case Family::status_changes:
    case Family::search: return true;
    default: return false;
  }
}

constexpr uint64_t kDay = 24 * 60 * 60;

}  // namespace

void tune_compaction(Family f, rocksdb::ColumnFamilyOptions& o) {
  // Leveled compaction, with level sizes derived from the last level, so
  // about 90% of the data sits in the bottommost level and space overhead
  // stays near 1.1x; tombstones reach that level sooner, where they are
  // dropped together with what they delete.
  o.compaction_style = rocksdb::kCompactionStyleLevel;
  o.level_compaction_dynamic_level_bytes = true;
  o.max_bytes_for_level_multiplier = 10;
  // LZ4 where data is young and rewritten often (cheap on two cores), ZSTD
  // where it settles: the bottommost level, most of the bytes, JSON text
  // that compresses well. Whatever this librocksdb lacks falls back.
  if (supported(rocksdb::kLZ4Compression))
    o.compression = rocksdb::kLZ4Compression;
  else if (supported(rocksdb::kSnappyCompression))
    o.compression = rocksdb::kSnappyCompression;
  else
    o.compression = rocksdb::kNoCompression;
  if (supported(rocksdb::kZSTD)) o.bottommost_compression = rocksdb::kZSTD;
  // Every file is rewritten at least weekly, so tombstones (deleted
  // workflows, delivered outbox records, cleared timers) never linger in a
  // cold file, and scans over the queues (timers, retention) stay short.
  o.periodic_compaction_seconds = 7 * kDay;
  // A file dense with tombstones (a retention pass deletes runs of
  // neighbouring keys) is compacted soon, before scans have to step over
  // them: 16k deletes within any 32k consecutive entries, or half the file.
  if (purged_by_retention(f))
    o.table_properties_collector_factories.push_back(
        rocksdb::NewCompactOnDeletionCollectorFactory(32 * 1024, 16 * 1024, 0.5));
}

void tune_logs(rocksdb::DBOptions& o) {
  // The info LOG rolls at 16 MiB and keep_log_file_num bounds how many stay.
  o.max_log_file_size = size_t{16} << 20;
  // Flush and compaction output goes to the disk as it is written, so a
  // compaction never ends in one long write-back that stalls the group
  // commit's fsync. (WAL writes are synced by every commit already.)
  o.bytes_per_sync = uint64_t{1} << 20;
}

}  // namespace backbeat::storage
