#pragma once
// A fresh directory under $TMPDIR, removed with everything in it on scope exit.
#include <filesystem>
#include <string>

namespace backbeat::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "backbeat-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace backbeat::test
