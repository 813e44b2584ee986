#pragma once
// Errors are values at module edges. Result<T> is a small stand-in for
// std::expected (C++23), which g++ 12 does not offer in C++20 mode.
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace backbeat {

// What went wrong, in terms a client can be told. The HTTP layer maps kind
// to a status code; error_class and message become the JSON error body.
struct Error {
  enum class Kind {
    bad_request,        // 400: malformed or missing input
    unauthorized,       // 401
    forbidden,          // 403: authenticated, but not allowed (a grant is missing)
    not_found,          // 404
    conflict,           // 409: illegal transition, orphaned decisions
    payload_too_large,  // 413
    too_many_requests,  // 429: this user's quota is in use; retry later
    unavailable,        // 503: overloaded or shutting down; retry later
    timed_out,          // 504: no answer in time; the change may or may not be applied
    internal,           // 500: a bug or a failed disk; never the client's fault
  };
  Kind kind = Kind::internal;
  std::string error_class;  // e.g. "Backbeat::InvalidClientStatusChange"
  std::string message;
  // Only for illegal status transitions (docs/contract.md §2.5).
  std::string current_status;
  std::string attempted_status;
};

inline Error make_error(Error::Kind kind, std::string error_class, std::string message) {
  return Error{kind, std::move(error_class), std::move(message), {}, {}};
}

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() { return Unit{}; }

}  // namespace backbeat
