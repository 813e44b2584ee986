#include "net/http_message.hpp"

#include <strings.h>

namespace backbeat::net {

namespace {

std::string_view find_header(const std::vector<std::pair<std::string, std::string>>& headers,
                             std::string_view name) {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0)
      return v;
  return {};
}

}  // namespace

std::string_view HttpRequest::header(std::string_view name) const { return find_header(headers, name); }
std::string_view HttpResponse::header(std::string_view name) const { return find_header(headers, name); }

std::string_view HttpRequest::path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string_view HttpRequest::query() const {
  std::string_view t = target;
  auto q = t.find('?');
  return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
}

}  // namespace backbeat::net
