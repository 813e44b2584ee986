#include "tests/support/cluster_certs.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

extern char** environ;

namespace backbeat::test {
namespace {

Error certs_error(std::string message) {
  return make_error(Error::Kind::internal, std::move(message));
}

}  // namespace

Status make_cluster_certs(const std::filesystem::path& dir, const std::vector<std::string>& members,
                          std::string binary) {
  if (binary.empty())
    if (const char* b = std::getenv("BACKBEAT_BINARY")) binary = b;
  if (binary.empty()) return certs_error("cluster certs: BACKBEAT_BINARY is unset");
  std::string list;
  for (const std::string& m : members) list += (list.empty() ? "" : ",") + m;
  std::vector<std::string> args{binary, "cluster", "certs", dir.string(), "--members", list};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  // Its output goes to a file among the certificates, read back on failure.
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return certs_error("cannot create " + dir.string() + ": " + ec.message());
  const std::string log = (dir / "certs.log").string();
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&files, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, binary.c_str(), &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  if (rc != 0) return certs_error("cannot run " + binary + ": " + std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return ok_status();
  std::ostringstream out;
  out << std::ifstream(log).rdbuf();
  return certs_error(binary + " cluster certs " + dir.string() + " --members " + list +
                     " failed:\n" + out.str());
}

std::string cluster_tls_lines(const std::filesystem::path& dir, const std::string& member) {
  return "tls_cert = " + (dir / (member + ".crt")).string() + "\n" +
         "tls_key = " + (dir / (member + ".key")).string() + "\n" +
         "tls_ca = " + (dir / "ca.crt").string() + "\n";
}

}  // namespace backbeat::test
