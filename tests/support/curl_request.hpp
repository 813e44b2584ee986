#pragma once
// One request through libcurl, which speaks TLS and verifies certificates as
// a real client does; http_test_client is for what no client would do.
#include <chrono>
#include <string>

#include "tests/support/http_test_client.hpp"

namespace backbeat::test {

struct CurlRequest {
  std::string url;
  std::string method = "GET";
  std::string body;
  Headers headers;
  std::string ca_file;  // PEM the server's certificate must chain to; empty: the system's
  std::chrono::milliseconds timeout{10000};
};

struct CurlResult {
  TestResponse response;  // status 0 when the transfer failed
  std::string error;      // curl's message when it failed
};

// A fresh connection each time, closed afterwards.
CurlResult curl_request(const CurlRequest& request);

}  // namespace backbeat::test
