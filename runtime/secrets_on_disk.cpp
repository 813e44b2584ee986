#include "runtime/secrets_on_disk.hpp"
#include "runtime/command_errors.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace backbeat::runtime {
namespace {

namespace fs = std::filesystem;

// Removes group and other access; never widens what the owner has.
Status owner_only(const fs::path& p) {
  std::error_code ec;
  const fs::perms now = fs::symlink_status(p, ec).permissions();
  if (ec) return startup_error("cannot inspect " + p.string() + ": " + ec.message());
  const fs::perms others = fs::perms::group_all | fs::perms::others_all;
  if ((now & others) == fs::perms::none) return ok_status();
  fs::permissions(p, others, fs::perm_options::remove | fs::perm_options::nofollow, ec);
  if (ec) return startup_error("cannot restrict " + p.string() + ": " + ec.message());
  return ok_status();
}

std::string random_hex(size_t bytes) {
  std::string raw(bytes, '\0');
  for (size_t got = 0; got < bytes;) {
    const ssize_t n = getrandom(raw.data() + got, bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {};
    got += size_t(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace

Status secure_data_dir(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return startup_error("cannot create data_dir " + dir + ": " + ec.message());
  }
  if (auto s = owner_only(dir); !s) return s;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec))
    if (!it->is_symlink())
      if (auto s = owner_only(it->path()); !s) return s;
  if (ec) return startup_error("cannot read data_dir " + dir + ": " + ec.message());
  return ok_status();
}

Result<AdminToken> admin_token(const char* from_env, const std::string& data_dir) {
  if (from_env && *from_env) return AdminToken{from_env, "BACKBEAT_ADMIN_TOKEN"};
  const std::string path = (fs::path(data_dir) / kAdminTokenFile).string();
  std::ifstream in(path);
  if (in) {
    std::string token;
    std::getline(in, token);
    if (token.size() < 16)
      return startup_error(path + " holds no admin token (16 characters or more); remove it to "
                                  "have a new one made");
    return AdminToken{token, path};
  }
  const std::string token = random_hex(16);
  if (token.empty()) return startup_error("cannot generate an admin token: getrandom failed");
  // O_EXCL: two nodes started on one data dir at once cannot both write it.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return startup_error("cannot create " + path + ": " + std::strerror(errno));
  const std::string line = token + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == ssize_t(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(path.c_str());
    return startup_error("cannot write " + path + ": " + std::strerror(errno));
  }
  return AdminToken{token, path};
}

}  // namespace backbeat::runtime
