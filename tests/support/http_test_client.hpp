#pragma once
// A blocking HTTP client for tests, on plain sockets: it must be able to do
// what no client library would (pipeline, send garbage, hang up mid-request)
// and must not need Beast, which is slow to compile.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace backbeat::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct TestResponse {
  int status = 0;    // 0: no response; body then says why
  std::string body;
  Headers headers;

  std::string header(std::string_view name) const;  // case-insensitive; "" if absent
  nlohmann::json json() const;                       // throws on invalid JSON, failing the test
};

// One request on a fresh connection, closed afterwards, as the Ruby client
// does. Adds Host, Connection: close, Content-Length and (for a body)
// Content-Type: application/json unless `headers` has them. Gives up after
// `timeout` (connecting, sending, then reading).
TestResponse http_request(const std::string& host, uint16_t port, const std::string& method,
                          const std::string& target, const std::string& body = "",
                          Headers headers = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

// One connection under the test's full control. Every call gives up after
// `timeout`. `source` (an IPv4 literal such as "127.0.0.2") is the address it
// connects from; empty: the kernel's choice.
class TestConnection {
 public:
  TestConnection(const std::string& host, uint16_t port,
                 std::chrono::milliseconds timeout = std::chrono::seconds(10),
                 const std::string& source = "");
  ~TestConnection();
  TestConnection(const TestConnection&) = delete;
  TestConnection& operator=(const TestConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  const std::string& error() const { return error_; }

  bool send(std::string_view bytes);
  // The next response, interim ones (100 Continue) included. Responses
  // without Content-Length end at EOF; chunked ones are not supported. The
  // answer to a HEAD has no body whatever its Content-Length says.
  TestResponse read_response(bool to_head = false);
  // True once the server has closed the connection (EOF or reset).
  bool wait_closed();
  void close();

 private:
  enum class Fill { data, eof, timeout, failed };
  Fill fill(std::chrono::steady_clock::time_point deadline);
  TestResponse fail(std::string why);

  int fd_ = -1;
  std::chrono::milliseconds timeout_;
  std::string buffer_;
  std::string error_;
};

}  // namespace backbeat::test
