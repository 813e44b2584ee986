#pragma once
// An exported workflow <-> bytes for the wire between two members. Each
// record keeps the encoding it has on disk (codec.hpp), so the wire format
// follows the records' schema with no second description of them:
//
//   "BBWX" version(1)
//   record(workflow)
//   count(nodes)   record...
//   count(history) record...
//   count(outbox)  record...
//   flags(1)       bit 0: queued for retention; the other bits are 0
//
// where count is a big-endian u32 and record a big-endian u32 length
// followed by that many bytes. Decoding takes the bytes as hostile: a
// truncated, padded, inconsistent (check_export) or otherwise malformed
// input is a corruption Error, never a crash or a huge allocation.
#include <string>
#include <string_view>

#include "engine/result.hpp"
#include "storage/workflow_export.hpp"

namespace backbeat::storage {

// Fails only when a record exceeds Cap'n Proto's limits, or is over 4 GiB.
Result<std::string> encode_export(const ExportedWorkflow& exported);
Result<ExportedWorkflow> decode_export(std::string_view bytes);

}  // namespace backbeat::storage
