#include "runtime/cluster/link_security.hpp"

#include <filesystem>

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <caf/openssl/all.hpp>

#include "runtime/cluster/openssl_error_queue.hpp"

namespace backbeat::cluster {
namespace {

Error security_error(std::string message) {
  return make_error(Error::Kind::config, std::move(message));
}

// CAF reads the files again for every new connection, after any chdir a
// library might make: pin them to where the node started.
std::string absolute(const std::string& path) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(path, ec);
  return ec ? path : abs.lexically_normal().string();
}

}  // namespace

Result<LinkSecurity> link_security(const runtime::Config& config) {
  const std::string& id = config.cluster_member_id;
  if (id.empty()) return LinkSecurity{};
  const std::pair<const char*, const std::string*> keys[] = {
      {"cluster.tls_cert", &config.cluster_tls_cert},
      {"cluster.tls_key", &config.cluster_tls_key},
      {"cluster.tls_ca", &config.cluster_tls_ca}};
  std::string missing;
  size_t set = 0;
  for (const auto& [key, value] : keys) {
    if (!value->empty()) ++set;
    else missing += (missing.empty() ? "" : ", ") + std::string(key);
  }
  const std::string how = "make them with `backbeat cluster certs DIR --members " + id +
                          ",...`, which writes DIR/ca.crt, DIR/" + id + ".crt and DIR/" + id + ".key";
  if (set == 3) {
    TlsFiles files{absolute(config.cluster_tls_cert), absolute(config.cluster_tls_key),
                   absolute(config.cluster_tls_ca)};
    if (auto s = check_member_files(files); !s) return s.error();
    if (!openssl_error_queue_repaired())
      return make_error(Error::Kind::startup,
                        "this build cannot repair CAF's OpenSSL error handling "
                        "(runtime/cluster/openssl_error_queue.hpp): member links would drop");
    return LinkSecurity{std::move(files), {}};
  }
  if (set > 0)
    return security_error("cluster member " + id + " has only part of its TLS setup: set " +
                          missing + " too (" + how + ")");
  if (!config.cluster_allow_plaintext)
    return security_error("cluster member " + id +
                          " has no TLS for its links to the other members: set cluster.tls_cert, "
                          "cluster.tls_key and cluster.tls_ca (" + how +
                          "), or set cluster.allow_plaintext = true to link in clear");
  return LinkSecurity{std::nullopt,
                      "cluster.allow_plaintext: member " + id +
                          " links to the others in clear; anyone who reaches its cluster port "
                          "can join the cluster"};
}

void use_tls(caf::actor_system_config& cfg, const TlsFiles& files) {
  cfg.load<caf::openssl::manager>();
  cfg.openssl_certificate = files.cert;
  cfg.openssl_key = files.key;
  cfg.openssl_cafile = files.ca;
}

caf::expected<uint16_t> publish_agent(caf::actor_system& system, const caf::actor& agent,
                                      uint16_t port, const std::string& host) {
  if (system.has_openssl_manager()) return caf::openssl::publish(agent, port, host.c_str(), true);
  return system.middleman().publish(agent, port, host.c_str(), true);
}

caf::io::middleman_actor peer_connector(caf::actor_system& system) {
  return system.has_openssl_manager() ? system.openssl_manager().actor_handle()
                                      : system.middleman().actor_handle();
}

}  // namespace backbeat::cluster
