#include "storage/archive_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "storage/errors.hpp"

namespace backbeat::storage {
namespace {

Error io_error(const std::string& what, int err) {
  return storage_error("archive: " + what + ": " + std::strerror(err));
}

// Writes all of `bytes`, across short writes and signals.
bool write_all(int fd, const char* bytes, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, bytes, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes += n;
    size -= size_t(n);
  }
  return true;
}

// A new file's name is only durable once its directory is synced.
Status sync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open " + dir, errno);
  const bool ok = ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok) return io_error("cannot sync " + dir, err);
  return ok_status();
}

// Where the last whole line ends: the file's size when it ends in a newline.
Result<off_t> end_of_last_line(int fd, off_t size, const std::string& path) {
  char buf[4096];
  for (off_t end = size; end > 0;) {
    const off_t from = end > off_t(sizeof buf) ? end - off_t(sizeof buf) : 0;
    const ssize_t n = ::pread(fd, buf, size_t(end - from), from);
    if (n != end - from) return io_error("cannot read " + path, n < 0 ? errno : EIO);
    for (ssize_t i = n; i > 0; --i)
      if (buf[i - 1] == '\n') return from + i;
    end = from;
  }
  return off_t{0};
}

// A crash in the middle of an append can leave a partial last line: cut the
// file back to its last newline before appending after it.
Status drop_torn_tail(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return io_error("cannot stat " + path, errno);
  auto end = end_of_last_line(fd, st.st_size, path);
  if (!end) return end.error();
  if (*end == st.st_size) return ok_status();
  std::fprintf(stderr, "[archive] %s ended in a partial line; cut back to %lld bytes\n",
               path.c_str(), static_cast<long long>(*end));
  if (::ftruncate(fd, *end) != 0 || ::fdatasync(fd) != 0)
    return io_error("cannot repair " + path, errno);
  return ok_status();
}

}  // namespace

ArchiveLog::ArchiveLog(std::string dir) : dir_(std::move(dir)) {}

ArchiveLog::~ArchiveLog() { close_file(); }

void ArchiveLog::close_file() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  path_.clear();
}

std::string ArchiveLog::file_name(Millis day) {
  const std::time_t secs = day / 1000;
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char name[48];
  std::strftime(name, sizeof name, "workflows-%Y-%m-%d.jsonl", &utc);
  return name;
}

Status ArchiveLog::open_for(Millis now) {
  const std::string path = dir_ + "/" + file_name(now);
  if (fd_ >= 0 && path == path_) return ok_status();
  close_file();
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return storage_error("archive: cannot create " + dir_ + ": " + ec.message());
  const bool existed = std::filesystem::exists(path, ec);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) return io_error("cannot open " + path, errno);
  fd_ = fd;
  path_ = path;
  if (!existed) return sync_dir(dir_);
  if (auto repaired = drop_torn_tail(fd_, path_); !repaired) {
    close_file();
    return repaired;
  }
  return ok_status();
}

Status ArchiveLog::append(std::span<const std::string> lines, Millis now) {
  if (lines.empty()) return ok_status();
  if (auto opened = open_for(now); !opened) return opened;
  struct stat before {};
  if (::fstat(fd_, &before) != 0) return io_error("cannot stat " + path_, errno);
  std::string bytes;
  for (const std::string& line : lines) {
    bytes += line;
    bytes += '\n';
  }
  if (write_all(fd_, bytes.data(), bytes.size()) && ::fdatasync(fd_) == 0) return ok_status();
  const int err = errno;
  // Cut back to the last whole line, so the next append starts clean; the
  // file is reopened then, in case the descriptor itself went bad.
  if (::ftruncate(fd_, before.st_size) != 0 || ::fdatasync(fd_) != 0)
    std::fprintf(stderr, "[archive] cannot cut %s back after a failed append\n", path_.c_str());
  const std::string path = path_;
  close_file();
  return io_error("cannot append to " + path, err);
}

}  // namespace backbeat::storage
