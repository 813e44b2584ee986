#pragma once
// Append-only JSON-lines files that retention writes deleted workflows to
// before it deletes them: <dir>/workflows-YYYY-MM-DD.jsonl, one file per UTC
// day, so an operator can ship, compress or drop whole days. A line is on
// disk (fsync'd, and the directory entry of a new file too) before append()
// returns success; a failed append leaves no partial line behind.
//
// Lines are at least once: a crash after the fsync and before the delete is
// durable archives a workflow that is still there, and it is archived again
// when it is deleted. Readers keep the last line of an id.
#include <span>
#include <string>

#include "engine/model.hpp"
#include "engine/result.hpp"

namespace backbeat::storage {

class ArchiveLog {
 public:
  explicit ArchiveLog(std::string dir);
  ~ArchiveLog();
  ArchiveLog(const ArchiveLog&) = delete;
  ArchiveLog& operator=(const ArchiveLog&) = delete;

  // Appends each line and a newline to the file of `now`'s day, with one
  // fsync for all of them. Lines must not contain a newline.
  Status append(std::span<const std::string> lines, Millis now);

  const std::string& dir() const { return dir_; }
  static std::string file_name(Millis day);  // "workflows-2024-05-01.jsonl"

 private:
  Status open_for(Millis now);
  void close_file();

  std::string dir_;
  std::string path_;  // of the open file
  int fd_ = -1;
};

}  // namespace backbeat::storage
