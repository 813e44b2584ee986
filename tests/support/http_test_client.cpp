#include "tests/support/http_test_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace backbeat::test {
namespace {

using Clock = std::chrono::steady_clock;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Returns 0 when ready, otherwise an errno-style code (ETIMEDOUT on timeout).
int wait_ready(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return 0;
    if (n == 0) return ETIMEDOUT;
    if (errno != EINTR) return errno;
  }
}

int connect_one(const addrinfo& ai, Clock::time_point deadline, const std::string& source,
                std::string& error) {
  int fd = ::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai.ai_protocol);
  if (fd < 0) {
    error = std::strerror(errno);
    return -1;
  }
  if (!source.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    if (ai.ai_family != AF_INET || ::inet_pton(AF_INET, source.c_str(), &local.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
      error = "bind to " + source + ": " + std::strerror(errno);
      ::close(fd);
      return -1;
    }
  }
  int rc = ::connect(fd, ai.ai_addr, ai.ai_addrlen);
  if (rc != 0 && errno == EINPROGRESS) {
    rc = wait_ready(fd, POLLOUT, deadline);
    if (rc == 0) {
      socklen_t len = sizeof(rc);
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &rc, &len);
    }
    errno = rc;
  }
  if (rc != 0) {
    error = std::string("connect: ") + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

std::optional<size_t> content_length(const TestResponse& r) {
  std::string value = r.header("Content-Length");
  if (value.empty()) return std::nullopt;
  try {
    return static_cast<size_t>(std::stoull(value));
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

std::string TestResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return {};
}

nlohmann::json TestResponse::json() const { return nlohmann::json::parse(body); }

TestConnection::TestConnection(const std::string& host, uint16_t port,
                               std::chrono::milliseconds timeout, const std::string& source)
    : timeout_(timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0) {
    error_ = std::string("getaddrinfo: ") + gai_strerror(rc);
    return;
  }
  auto deadline = Clock::now() + timeout_;
  for (addrinfo* ai = found; ai && fd_ < 0; ai = ai->ai_next) fd_ = connect_one(*ai, deadline, source, error_);
  ::freeaddrinfo(found);
}

TestConnection::~TestConnection() { close(); }

void TestConnection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool TestConnection::send(std::string_view bytes) {
  auto deadline = Clock::now() + timeout_;
  while (fd_ >= 0 && !bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (int rc = wait_ready(fd_, POLLOUT, deadline); rc == 0) continue;
      error_ = "send: timed out";
      return false;
    }
    error_ = std::string("send: ") + std::strerror(errno);
    return false;
  }
  return fd_ >= 0;
}

TestConnection::Fill TestConnection::fill(Clock::time_point deadline) {
  if (fd_ < 0) return Fill::failed;
  for (;;) {
    char chunk[16 * 1024];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      return Fill::data;
    }
    if (n == 0) return Fill::eof;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      error_ = std::string("recv: ") + std::strerror(errno);
      return Fill::failed;
    }
    if (int rc = wait_ready(fd_, POLLIN, deadline); rc != 0) {
      error_ = std::string("recv: ") + std::strerror(rc);
      return rc == ETIMEDOUT ? Fill::timeout : Fill::failed;
    }
  }
}

TestResponse TestConnection::fail(std::string why) {
  TestResponse r;
  r.body = std::move(why);
  return r;
}

TestResponse TestConnection::read_response(bool to_head) {
  if (fd_ < 0) return fail(error_.empty() ? "not connected" : error_);
  auto deadline = Clock::now() + timeout_;
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (auto f = fill(deadline); f != Fill::data)
      return fail(f == Fill::eof ? "connection closed before a response" : error_);
  }
  std::string_view head(buffer_.data(), end);
  TestResponse r;
  size_t line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  if (status_line.substr(0, 5) != "HTTP/" || status_line.size() < 12)
    return fail("malformed status line: " + std::string(status_line));
  try {
    r.status = std::stoi(std::string(status_line.substr(9, 3)));
  } catch (...) {
    return fail("malformed status line: " + std::string(status_line));
  }
  while (line_end != std::string_view::npos) {
    head.remove_prefix(line_end + 2);
    line_end = head.find("\r\n");
    std::string_view line = head.substr(0, line_end);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    r.headers.emplace_back(std::string(trim(line.substr(0, colon))),
                           std::string(trim(line.substr(colon + 1))));
  }
  buffer_.erase(0, end + 4);

  if (to_head || r.status < 200 || r.status == 204 || r.status == 304) return r;
  if (iequals(r.header("Transfer-Encoding"), "chunked")) return fail("chunked responses are not supported");
  auto length = content_length(r);
  for (;;) {
    if (length && buffer_.size() >= *length) break;
    auto f = fill(deadline);
    if (f == Fill::eof && !length) break;
    if (f != Fill::data) return fail(f == Fill::eof ? "connection closed inside the body" : error_);
  }
  size_t take = length ? *length : buffer_.size();
  r.body = buffer_.substr(0, take);
  buffer_.erase(0, take);
  return r;
}

bool TestConnection::wait_closed() {
  auto deadline = Clock::now() + timeout_;
  for (;;) {
    buffer_.clear();
    switch (fill(deadline)) {
      case Fill::data: continue;
      case Fill::eof: return true;
      case Fill::failed: return true;
      case Fill::timeout: return false;
    }
  }
}

TestResponse http_request(const std::string& host, uint16_t port, const std::string& method,
                          const std::string& target, const std::string& body, Headers headers,
                          std::chrono::milliseconds timeout) {
  TestConnection conn(host, port, timeout);
  if (!conn.connected()) return TestResponse{0, conn.error(), {}};
  auto has = [&](std::string_view name) {
    for (const auto& [k, v] : headers)
      if (iequals(k, name)) return true;
    return false;
  };
  std::string request = method + " " + target + " HTTP/1.1\r\n";
  if (!has("Host")) request += "Host: " + host + ":" + std::to_string(port) + "\r\n";
  if (!has("Connection")) request += "Connection: close\r\n";
  bool with_body = !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (with_body && !has("Content-Length"))
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (!body.empty() && !has("Content-Type")) request += "Content-Type: application/json\r\n";
  for (const auto& [k, v] : headers) request += k + ": " + v + "\r\n";
  request += "\r\n";
  request += body;
  if (!conn.send(request)) {
    // The server may have answered early (413) and closed; that answer counts.
    std::string send_error = conn.error();
    TestResponse r = conn.read_response();
    return r.status ? r : TestResponse{0, send_error, {}};
  }
  return conn.read_response();
}

}  // namespace backbeat::test
