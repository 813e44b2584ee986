#pragma once
// What the operator chose for retention (config [retention], docs/storage.md).
#include <chrono>
#include <cstddef>
#include <string>

namespace backbeat::actors {

struct RetentionSettings {
  std::chrono::seconds completed_after{0};  // 0: off, nothing is ever deleted
  std::chrono::seconds sweep_interval{600};
  std::string archive_dir;  // empty: deleted workflows are not archived
  size_t batch_size = 500;  // candidates one sweep step looks at
  bool enabled() const { return completed_after.count() > 0; }
};

}  // namespace backbeat::actors
