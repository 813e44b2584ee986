#include "tests/support/curl_request.hpp"

#include <curl/curl.h>

namespace backbeat::test {
namespace {

size_t append_body(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// Header lines arrive one per call, the status line and the final CRLF too.
size_t append_header(char* data, size_t size, size_t n, void* out) {
  std::string_view line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos && line.rfind("HTTP/", 0) != 0) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    static_cast<Headers*>(out)->emplace_back(std::string(line.substr(0, colon)),
                                             std::string(value));
  }
  return size * n;
}

}  // namespace

CurlResult curl_request(const CurlRequest& request) {
  CurlResult result;
  CURL* easy = curl_easy_init();
  if (!easy) return {{}, "curl_easy_init failed"};
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers)
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, long(request.body.size()));
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  if (!request.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, request.ca_file.c_str());
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, long(request.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &result.response.body);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &append_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &result.response.headers);
  const CURLcode rc = curl_easy_perform(easy);
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(easy);
  if (rc != CURLE_OK) {
    result.error = curl_easy_strerror(rc);
    result.response = TestResponse{};
    return result;
  }
  result.response.status = int(status);
  return result;
}

}  // namespace backbeat::test
