#pragma once
// Storage failures are never the client's fault, so they are all `internal`;
// the class tells an operator whether the data itself is damaged (corruption)
// or something else failed (the disk, a limit).
#include <string>

#include "engine/result.hpp"

namespace backbeat::storage {

inline Error storage_error(std::string message) {
  return make_error(Error::Kind::storage, std::move(message));
}

inline Error corruption(std::string message) {
  return make_error(Error::Kind::storage_corruption, std::move(message));
}

}  // namespace backbeat::storage
