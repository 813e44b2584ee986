#pragma once
// The cluster's own certificate authority (docs/cluster.md, "Member
// authentication"): a CA key and certificate, and for each member a key and
// a certificate the CA signed, PEM files in one directory:
//
//   DIR/ca.crt   every member's cluster.tls_ca
//   DIR/ca.key   signs new members; no member needs it
//   DIR/n1.crt   n1's cluster.tls_cert (CN=n1)
//   DIR/n1.key   n1's cluster.tls_key
//
// Made with OpenSSL's libcrypto. `backbeat cluster certs` is the command.
#include <string>
#include <vector>

#include "engine/result.hpp"

namespace backbeat::cluster {

// The three files a member's TLS needs.
struct TlsFiles {
  std::string cert;
  std::string key;
  std::string ca;
};

// Where make_certs() puts a member's files.
TlsFiles member_files(const std::string& dir, const std::string& member);

struct CertsPlan {
  std::string dir;
  std::vector<std::string> members;
  // Replace DIR's CA: the certificates it signed before no longer verify.
  bool new_ca = false;
};

struct CertsMade {
  bool ca_created = false;          // false: DIR's existing CA signed them
  std::vector<std::string> files;   // each file written, CA first
};

// Creates the CA unless DIR has one (a new member is signed by the CA the
// others trust), then a fresh key and certificate for each member, replacing
// the member's old ones. Keys are written 0600. Refuses a half CA (one of
// ca.crt, ca.key) and ids that are no member ids.
Result<CertsMade> make_certs(const CertsPlan& plan);

// What a peer's handshake will check, run on a member's own files so a
// mistake shows at start and names the file: each one reads, the key is the
// certificate's, and the CA vouches for the certificate both for accepting
// (TLS server) and for connecting (TLS client).
Status check_member_files(const TlsFiles& files);

}  // namespace backbeat::cluster
