#pragma once
// A read-only view of the store as of one instant (a RocksDB snapshot), for
// queries that walk several indexes and records: search reads an index, then
// the records it points at, and must not see half of a batch committed in
// between. Ordered cursors over one key prefix let the query side (search.hpp)
// seek and skip without knowing RocksDB.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/result.hpp"
#include "storage/family.hpp"

namespace backbeat::storage {

// Keys of one family that start with a fixed prefix, in bytewise order.
// Positions are given and reported without the prefix.
class KeyCursor {
 public:
  virtual ~KeyCursor() = default;
  // Moves to the first key >= prefix + suffix; false when there is none.
  virtual Result<bool> seek(std::string_view suffix) = 0;
  // Moves to the following key; false at the end. Only after a true seek/next.
  virtual Result<bool> next() = 0;
  // The current key without the prefix, and its value; valid until the
  // next move.
  virtual std::string_view suffix() const = 0;
  virtual std::string_view value() const = 0;
};

class ReadView {
 public:
  virtual ~ReadView() = default;
  virtual Result<std::optional<std::string>> get(Family family, const std::string& key) const = 0;
  virtual std::unique_ptr<KeyCursor> cursor(Family family, std::string prefix) const = 0;
};

}  // namespace backbeat::storage
