#pragma once
// `backbeat cluster certs DIR --members ID,... [--new-ca]`: the cluster's CA
// and one key and certificate per member (runtime/cluster/member_certs.hpp).
// Local files only: it needs no running node and no admin token.
#include <string>
#include <vector>

#include "runtime/cluster/member_certs.hpp"

namespace backbeat::runtime {

// `args` excludes the program name: {"cluster", "certs", ...}.
bool is_certs_command(const std::vector<std::string>& args);

// Usage errors name what is wrong.
Result<cluster::CertsPlan> parse_certs_command(const std::vector<std::string>& args);

std::string certs_usage();

// Makes the files and says which, with the config lines for the first
// member; 0 when done, 1 when the files cannot be written, 2 for bad usage
// (also an id that is no member id, or a half CA in DIR).
int run_certs_command(const std::vector<std::string>& args);

}  // namespace backbeat::runtime
