#include "tests/support/server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace backbeat::test {
namespace {

std::vector<std::string> environment_with(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    std::string_view name = entry.substr(0, entry.find('='));
    bool overridden = false;
    for (const auto& [k, v] : extra) overridden = overridden || k == name;
    if (!overridden) env.emplace_back(entry);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return status;
}

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<size_t>(n));
  }
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

ServerProcess::ServerProcess(ServerProcessOptions options) : options_(std::move(options)) {
  if (options_.binary.empty())
    if (const char* b = std::getenv("BACKBEAT_BINARY")) options_.binary = b;
  auto dir = options_.log_dir.empty() ? std::filesystem::temp_directory_path() : options_.log_dir;
  log_path_ = dir / (options_.name + ".log");
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    wait();
  }
  if (reader_.joinable()) {
    write_all(wake_fds_[1], std::string_view("x", 1));
    reader_.join();
  }
  close_fd(output_fd_);
  close_fd(wake_fds_[0]);
  close_fd(wake_fds_[1]);
  close_fd(log_fd_);
}

bool ServerProcess::start(std::chrono::milliseconds timeout) {
  if (started_) return false;
  started_ = true;
  if (!spawn()) return false;
  static const std::regex listening(R"(listening on (https?)://(\[[^\]]*\]|[^\s:/]+):(\d+))");
  auto groups = wait_for_line(listening, timeout);
  if (groups.size() < 4) return false;
  int port = std::atoi(groups[3].c_str());
  if (port <= 0 || port > 65535) return false;
  scheme_ = groups[1];
  host_ = groups[2];
  port_ = static_cast<uint16_t>(port);
  return true;
}

bool ServerProcess::spawn() {
  log_fd_ = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  auto give_up = [this](const std::string& why) {
    record("ServerProcess: " + why + "\n");
    std::lock_guard lock(mu_);
    output_ended_ = true;
    return false;
  };
  if (options_.binary.empty()) return give_up("no binary given and BACKBEAT_BINARY is unset");
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return give_up(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(wake_fds_, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return give_up(std::string("pipe: ") + std::strerror(errno));
  }

  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_adddup2(&files, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&files, out[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  // Our listening sockets (Asio does not mark them close-on-exec) must not
  // outlive the test in the child.
  posix_spawn_file_actions_addclosefrom_np(&files, 3);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none, defaults;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2})
    sigaddset(&defaults, sig);
  posix_spawnattr_setsigdefault(&attr, &defaults);

  std::vector<std::string> args{options_.binary};
  args.insert(args.end(), options_.args.begin(), options_.args.end());
  std::vector<std::string> env = environment_with(options_.env);
  auto argv = c_strings(args);
  auto envp = c_strings(env);
  int rc = ::posix_spawnp(&pid_, options_.binary.c_str(), &files, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attr);
  ::close(out[1]);
  if (rc != 0) {
    pid_ = -1;
    ::close(out[0]);
    return give_up("cannot run " + options_.binary + ": " + std::strerror(rc));
  }
  output_fd_ = out[0];
  reader_ = std::thread([this] { pump_output(); });
  return true;
}

void ServerProcess::pump_output() {
  for (;;) {
    pollfd fds[2] = {{output_fd_, POLLIN, 0}, {wake_fds_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    // Output first: what a dying server printed last is what a test needs.
    if (fds[0].revents) {
      char buf[4096];
      ssize_t n = ::read(output_fd_, buf, sizeof(buf));
      if (n > 0) {
        record(std::string_view(buf, static_cast<size_t>(n)));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      break;
    }
    if (fds[1].revents) break;
  }
  std::lock_guard lock(mu_);
  output_ended_ = true;
  changed_.notify_all();
}

void ServerProcess::record(std::string_view text) {
  if (log_fd_ >= 0) write_all(log_fd_, text);
  std::lock_guard lock(mu_);
  output_.append(text);
  changed_.notify_all();
}

std::vector<std::string> ServerProcess::wait_for_line(const std::regex& re,
                                                      std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mu_);
  size_t line_start = 0;
  bool timed_out = false;
  for (;;) {
    for (;;) {
      size_t eol = output_.find('\n', line_start);
      // An unterminated last line only counts once nothing more can follow.
      if (eol == std::string::npos && !(output_ended_ && line_start < output_.size())) break;
      size_t end = eol == std::string::npos ? output_.size() : eol;
      std::string line = output_.substr(line_start, end - line_start);
      line_start = end + 1;
      std::smatch m;
      if (std::regex_search(line, m, re)) {
        std::vector<std::string> groups;
        for (const auto& g : m) groups.push_back(g.str());
        return groups;
      }
    }
    if (output_ended_ || timed_out) return {};
    timed_out = changed_.wait_until(lock, deadline) == std::cv_status::timeout;
  }
}

bool ServerProcess::wait_output_closed(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return output_ended_; });
}

std::string ServerProcess::log() const {
  std::lock_guard lock(mu_);
  return output_;
}

std::string ServerProcess::url(std::string_view path) const {
  std::string u = scheme_ + "://" + host_ + ":" + std::to_string(port_);
  if (path.empty() || path.front() != '/') u += '/';
  u += path;
  return u;
}

void ServerProcess::kill(int sig) {
  if (pid_ > 0) ::kill(-pid_, sig);
}

bool ServerProcess::running() {
  if (pid_ <= 0 || reaped_) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) return true;
  reaped_ = true;
  exit_ = decode_status(status);
  return false;
}

int ServerProcess::wait() {
  if (pid_ <= 0) return -1;
  if (reaped_) return exit_;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  reaped_ = true;
  exit_ = r == pid_ ? decode_status(status) : -1;
  return exit_;
}

}  // namespace backbeat::test
