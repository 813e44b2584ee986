#pragma once
// Compaction, compression and log settings of the store, kept apart from
// store.cpp's read-path tuning (filters, prefix extractors, the block cache)
// because they answer another question: what data costs on disk over time,
// and what deleting it (retention) costs. docs/storage.md gives the reasons.
#include <rocksdb/options.h>

#include "storage/family.hpp"

namespace backbeat::storage {

// On top of the family's read-path options.
void tune_compaction(Family family, rocksdb::ColumnFamilyOptions& options);
// On top of the database's options.
void tune_logs(rocksdb::DBOptions& options);

}  // namespace backbeat::storage
