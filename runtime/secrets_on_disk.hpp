#pragma once
// What a node keeps on disk that others must not read: the data dir (user
// records, client_data, responses) and the admin token it generated. Only
// the user running the node may read them (docs/security.md, "A local user").
#include <string>

#include "engine/result.hpp"

namespace backbeat::runtime {

// Creates `dir` 0700 if missing; otherwise takes group and other access away
// from it and from every file and folder in it (data dirs of older builds
// were 0755 with 0644 files). The caller sets umask 077 for what comes next.
Status secure_data_dir(const std::string& dir);

struct AdminToken {
  std::string value;
  // Where the operator finds it: "BACKBEAT_ADMIN_TOKEN", or the file's path.
  std::string source;
};

inline constexpr const char* kAdminTokenFile = "admin-token";

// BACKBEAT_ADMIN_TOKEN when set (`from_env`); else the token in
// <data_dir>/admin-token, made (32 hex characters from getrandom, file 0600,
// synced) the first time. The same token therefore survives restarts.
Result<AdminToken> admin_token(const char* from_env, const std::string& data_dir);

}  // namespace backbeat::runtime
