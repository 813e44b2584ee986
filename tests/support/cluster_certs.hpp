#pragma once
// TLS files for cluster members in tests, made by the real binary's
// `backbeat cluster certs` (so the command is what the tests rely on), and
// the config lines that point a member at them.
#include <filesystem>
#include <string>
#include <vector>

#include "engine/result.hpp"

namespace backbeat::test {

// Runs `binary cluster certs dir --members a,b,...`; binary empty:
// $BACKBEAT_BINARY. A second run on the same dir signs with the same CA.
Status make_cluster_certs(const std::filesystem::path& dir, const std::vector<std::string>& members,
                          std::string binary = "");

// "tls_cert = ...\ntls_key = ...\ntls_ca = ...\n", for a [cluster] section.
std::string cluster_tls_lines(const std::filesystem::path& dir, const std::string& member);

}  // namespace backbeat::test
