#pragma once
// How a member's links to the other members are secured (docs/cluster.md,
// "Member authentication"): mutual TLS through libcaf_openssl, each member
// proving itself with a certificate the cluster's CA signed; or, only when
// the operator said so, in clear. One place decides, and the node agent's
// publishing and connecting both ask it.
#include <cstdint>
#include <optional>
#include <string>

#include <caf/fwd.hpp>
#include <caf/io/middleman_actor.hpp>

#include "runtime/cluster/member_certs.hpp"
#include "runtime/config.hpp"

namespace backbeat::cluster {

struct LinkSecurity {
  std::optional<TlsFiles> tls;  // absolute paths; none: a single node, or in clear
  std::string warning;          // for the operator at start: links in clear
};

// A cluster member needs cluster.tls_cert, tls_key and tls_ca (checked with
// check_member_files), or cluster.allow_plaintext = true; anything else is
// a config error naming the keys and `backbeat cluster certs`. A single node
// (no cluster.member_id) links to no one: no TLS, no warning.
Result<LinkSecurity> link_security(const runtime::Config& config);

// Loads libcaf_openssl with the member's files: from then on CAF requires a
// certificate signed by the CA on every TLS link, in both directions.
void use_tls(caf::actor_system_config& cfg, const TlsFiles& files);

// The agent on the cluster port: TLS when the system has it (use_tls).
caf::expected<uint16_t> publish_agent(caf::actor_system& system, const caf::actor& agent,
                                      uint16_t port, const std::string& host);

// Where the agent's connect_atom goes: the TLS middleman actor when the
// system has it, so a member connects out the way it accepts.
caf::io::middleman_actor peer_connector(caf::actor_system& system);

}  // namespace backbeat::cluster
