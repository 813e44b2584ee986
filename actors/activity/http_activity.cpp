#include <algorithm>
#include <cctype>
#include <string_view>

#include "actors/activity/builtins.hpp"
#include "net/endpoint_gate.hpp"
#include "net/contract/json_text.hpp"
#include "engine/result.hpp"

namespace backbeat::activity {
namespace {

constexpr auto npos = std::string_view::npos;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// True if curl sends the request where the URL's text says: no userinfo
// ("http://allowed@elsewhere/" goes to elsewhere) and no dot segments, which
// curl resolves before sending ("/allowed/../admin" becomes "/admin").
bool goes_where_it_says(std::string_view url) {
  const size_t host = url.find("://") + 3;
  const size_t path = url.find_first_of("/?#", host);
  if (url.substr(host, path == npos ? npos : path - host).find('@') != npos) return false;
  if (path == npos || url[path] != '/') return true;
  const std::string_view p = url.substr(path, url.find_first_of("?#", path) - path);
  for (size_t start = 1; start <= p.size();) {
    size_t end = p.find('/', start);
    if (end == npos) end = p.size();
    std::string segment = lower(p.substr(start, end - start));
    size_t dot = 0;
    while ((dot = segment.find("%2e")) != npos) segment.replace(dot, 3, ".");
    if (segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

// A prefix that ends inside the host ("https://api.example") must not match
// another host that merely starts the same ("https://api.example.evil/").
bool under(std::string_view url, std::string_view prefix) {
  if (url.rfind(prefix, 0) != 0) return false;
  const size_t scheme = prefix.find("://");
  const bool ends_in_host = scheme == npos || prefix.find('/', scheme + 3) == npos;
  return !ends_in_host || url.size() == prefix.size() ||
         std::string_view("/?#").find(url[prefix.size()]) != npos;
}

// The host of a prefix ("http://[::1]:80/x" -> "::1"); empty for "*".
std::string_view host_of(std::string_view prefix) {
  const size_t scheme = prefix.find("://");
  if (scheme == npos) return {};
  std::string_view rest = prefix.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (!rest.empty() && rest.front() == '[') return rest.substr(1, rest.find(']') - 1);
  return rest.substr(0, rest.find(':'));
}

// An entry that names the address (or localhost) itself: the operator
// meant that internal host, not a name that happens to resolve there.
bool names_an_address(std::string_view prefix) {
  const std::string host = lower(host_of(prefix));
  if (host.empty()) return false;
  if (host == "localhost") return true;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
  });
}

struct Permit {
  bool allowed = false;
  bool internal_ok = false;  // may reach a loopback / link-local / metadata peer
};

Permit permit(const std::string& url, const Env& env) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) return {};
  if (!goes_where_it_says(url)) return {};
  Permit p;
  for (const std::string& prefix : env.http_allowed_urls) {
    if (prefix != "*" && !under(url, prefix)) continue;
    p.allowed = true;
    if (prefix != "*" && names_an_address(prefix)) p.internal_ok = true;
  }
  return p;
}

// An RFC 9110 token, which a header name must be.
bool token(std::string_view s) {
  static constexpr std::string_view kMarks = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kMarks.find(c) != npos;
  });
}

// The HTTP client writes these. From client_data they would change where the
// request goes or how it is framed: a Content-Length that is not the body's
// leaves bytes on the pooled connection, which corrupt the next call to that
// endpoint, whoever's it is.
bool reserved(std::string_view name) {
  const std::string n = lower(name);
  return n == "content-length" || n == "transfer-encoding" || n == "connection" || n == "host";
}

// client_data -> the request, or why it cannot be made.
Result<net::HttpCall> request_of(const Json& data, const Env& env) {
  auto bad = [](std::string m) { return make_error(Error::Kind::validation, std::move(m)); };
  const Json url = data.value("url", Json());
  if (!url.is_string()) return bad("client_data.url must be a string");
  net::HttpCall call;
  call.url = url.get<std::string>();
  const Permit p = permit(call.url, env);
  if (!p.allowed)
    return bad("client_data.url " + call.url.substr(0, 200) +
               " is not an http(s) URL this server may call (activities.http_allowed_urls" +
               (env.http_allowed_urls.empty() ? " is empty)" : ")"));
  call.refuse_internal_peers = !p.internal_ok;
  const Json method = data.value("method", Json("POST"));
  static const std::vector<std::string> kMethods{"GET", "POST", "PUT", "PATCH", "DELETE"};
  if (!method.is_string() ||
      std::find(kMethods.begin(), kMethods.end(), method.get<std::string>()) == kMethods.end())
    return bad("client_data.method must be one of GET, POST, PUT, PATCH, DELETE");
  call.method = method.get<std::string>();
  if (call.method != "GET" && call.method != "DELETE")
    call.body = contract::dump_json(data.contains("body") ? data["body"] : data);
  const Json headers = data.value("headers", Json::object());
  if (!headers.is_object()) return bad("client_data.headers must be an object of strings");
  for (const auto& [key, value] : headers.items()) {
    // A CR or LF would let a decision smuggle a second request line.
    const bool clean = value.is_string() && token(key) &&
                       value.get<std::string>().find_first_of("\r\n") == std::string::npos;
    if (!clean) return bad("client_data.headers must be an object of single-line strings");
    if (reserved(key)) return bad("client_data.headers may not set " + key);
    call.headers.push_back(key + ": " + value.get<std::string>());
  }
  call.connect_timeout = env.http_connect_timeout;
  call.timeout = env.http_timeout;
  return call;
}

Outcome outcome_of(const net::HttpCall& call, const net::HttpResult& r) {
  if (!r.transport_ok) return errored("Could not " + call.method + " " + call.url + ": " + r.error);
  Json body = Json::parse(r.body, nullptr, false);
  if (body.is_discarded()) body = r.body;
  if (r.status >= 200 && r.status < 300) return completed({{"status", r.status}, {"body", body}});
  return errored(call.method + " " + call.url + " answered " + std::to_string(r.status),
                 {{"status", r.status}, {"body", body}});
}

}  // namespace

Status HttpActivity::check(const Json& client_data, const Env& env) {
  auto call = request_of(client_data, env);
  if (!call) return make_error(Error::Kind::validation, call.error().message);
  return ok_status();
}

caf::behavior HttpActivity::make(caf::event_based_actor* self, const Env& env) {
  return {
      [self, &env](run_atom, const Job& job) -> caf::result<Outcome> {
        auto call = request_of(job.client_data, env);
        if (!call) return errored(call.error().message);
        processing(self, job);  // the call may take long: restart the node's deadline
        auto promise = self->make_response_promise();
        // The answer arrives on the HTTP client's thread; it becomes a message.
        self->become([promise](Outcome& outcome) mutable { promise.deliver(std::move(outcome)); });
        const auto admitted = env.gate->submit(
            net::CallKey{job.node_id, job.attempt}, *call,
            [handle = caf::actor{self}, call = *call](net::HttpResult r) {
              caf::anon_send(handle, outcome_of(call, r));
            });
        if (admitted == net::EndpointGate::Admission::refused)
          promise.deliver(errored("too many calls queued for " + call->url));
        else if (admitted == net::EndpointGate::Admission::already_held)
          promise.deliver(errored("a call of this attempt is still in flight"));
        return promise;
      },
  };
}

}  // namespace backbeat::activity
