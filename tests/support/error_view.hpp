#pragma once
// An Error as a client sees it: the class name and HTTP status the wire
// contract gives its kind (net/contract/error_body.cpp). Tests assert on
// these, so a kind that changed what clients are told fails a test.
#include <string_view>

#include "engine/error.hpp"
#include "net/contract/error_body.hpp"

namespace backbeat::test {

inline std::string_view error_class(const Error& e) {
  return contract::wire_error(e.kind).error_class;
}

inline int http_status(const Error& e) { return contract::wire_error(e.kind).status; }

}  // namespace backbeat::test
