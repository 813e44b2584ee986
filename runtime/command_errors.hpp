#pragma once
// The two errors the command line and start-up report, spelled once: a
// mistake in what the operator typed (exit 2), and a node that cannot start.
#include <string>

#include "engine/result.hpp"

namespace backbeat::runtime {

inline Error usage_error(std::string message) {
  return make_error(Error::Kind::usage, std::move(message));
}

inline Error startup_error(std::string message) {
  return make_error(Error::Kind::startup, std::move(message));
}

}  // namespace backbeat::runtime
