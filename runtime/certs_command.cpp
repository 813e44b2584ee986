#include "runtime/certs_command.hpp"

#include <iostream>

#include "engine/log.hpp"
#include "runtime/command_errors.hpp"
#include "runtime/config.hpp"

namespace backbeat::runtime {
namespace {

}  // namespace

bool is_certs_command(const std::vector<std::string>& args) {
  return args.size() >= 2 && args[0] == "cluster" && args[1] == "certs";
}

Result<cluster::CertsPlan> parse_certs_command(const std::vector<std::string>& args) {
  cluster::CertsPlan plan;
  for (size_t i = 2; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--new-ca") {
      plan.new_ca = true;
    } else if (a == "--members" || a.rfind("--members=", 0) == 0) {
      std::string list = a == "--members" ? "" : a.substr(10);
      if (a == "--members") {
        if (i + 1 >= args.size()) return usage_error("--members needs a list: --members n1,n2,n3");
        list = args[++i];
      }
      for (std::string& m : split_list(list)) plan.members.push_back(std::move(m));
    } else if (a.rfind("--", 0) == 0) {
      return usage_error("unknown option " + a + " for cluster certs\n" + certs_usage());
    } else if (plan.dir.empty()) {
      plan.dir = a;
    } else {
      return usage_error("cluster certs takes one directory, not '" + a + "' too\n" + certs_usage());
    }
  }
  if (plan.dir.empty()) return usage_error("cluster certs needs a directory\n" + certs_usage());
  if (plan.members.empty())
    return usage_error("cluster certs needs --members ID,...\n" + certs_usage());
  return plan;
}

std::string certs_usage() {
  return "usage: backbeat cluster certs DIR --members ID,... [--new-ca]\n"
         "  writes DIR/ca.crt and DIR/ca.key (the cluster's CA, made unless DIR has\n"
         "  one; --new-ca replaces it) and DIR/ID.crt, DIR/ID.key for each member,\n"
         "  signed by that CA; keys are mode 0600. A member needs ca.crt and its own\n"
         "  two files (cluster.tls_ca, tls_cert, tls_key); keep ca.key off the members.\n";
}

int run_certs_command(const std::vector<std::string>& args) {
  auto plan = parse_certs_command(args);
  if (!plan) {
    log::error("backbeat", plan.error().message);
    return 2;
  }
  auto made = cluster::make_certs(*plan);
  if (!made) {
    log::error("backbeat", made.error().message);
    return made.error().kind == Error::Kind::config ? 2 : 1;
  }
  const cluster::TlsFiles ca = cluster::member_files(plan->dir, "ca");
  std::cout << (made->ca_created ? "created the cluster CA " : "signed by the existing CA ")
            << ca.cert << " (its key " << ca.key << " signs new members: keep it off them)\n";
  for (const std::string& m : plan->members) {
    const cluster::TlsFiles f = cluster::member_files(plan->dir, m);
    std::cout << m << ": " << f.cert << " " << f.key << "\n";
  }
  const cluster::TlsFiles first = cluster::member_files(plan->dir, plan->members.front());
  std::cout << "in " << plan->members.front() << "'s config:\n"
            << "  [cluster]\n  tls_cert = " << first.cert << "\n  tls_key = " << first.key
            << "\n  tls_ca = " << first.ca << "\n";
  if (plan->new_ca)
    std::cout << "a new CA: members with certificates of the old one can no longer link\n";
  return 0;
}

}  // namespace backbeat::runtime
