#include "runtime/cluster/member_certs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "runtime/cluster/cluster_boot.hpp"

namespace backbeat::cluster {
namespace {

struct OpenSslFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};
template <class T>
using Owned = std::unique_ptr<T, OpenSslFree>;

constexpr long kValidDays = 3650;  // CA and members; rotate by running the command again

Error certs_error(std::string message) {
  return make_error(Error::Kind::config, std::move(message));
}

// OpenSSL's queue of reasons, oldest first, emptied: the next call starts clean.
std::string openssl_reason() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += (out.empty() ? "" : "; ") + std::string(buf);
  }
  return out.empty() ? "no reason given" : out;
}

Error openssl_error(const std::string& what) { return certs_error(what + ": " + openssl_reason()); }

// Not the operator's input: the machine (entropy, disk) failed.
Error machine_error(std::string message) {
  return make_error(Error::Kind::internal, std::move(message));
}

Result<Owned<BIO>> open_pem(const std::string& path, const std::string& what) {
  Owned<BIO> in(BIO_new_file(path.c_str(), "r"));
  if (in) return in;
  const std::string reason = std::strerror(errno);  // BIO_new_file is fopen
  ERR_clear_error();
  return certs_error("cannot read " + what + " " + path + ": " + reason);
}

Result<Owned<EVP_PKEY>> read_key(const std::string& path, const std::string& what) {
  auto in = open_pem(path, what);
  if (!in) return in.error();
  Owned<EVP_PKEY> key(PEM_read_bio_PrivateKey(in->get(), nullptr, nullptr, nullptr));
  if (!key) return openssl_error(what + " " + path + " holds no PEM private key");
  return key;
}

// The first certificate of a PEM file, and the rest as its chain.
struct CertChain {
  Owned<X509> leaf;
  Owned<STACK_OF(X509)> rest;
};

Result<CertChain> read_certs(const std::string& path, const std::string& what) {
  auto in = open_pem(path, what);
  if (!in) return in.error();
  CertChain chain{Owned<X509>(PEM_read_bio_X509(in->get(), nullptr, nullptr, nullptr)),
                  Owned<STACK_OF(X509)>(sk_X509_new_null())};
  if (!chain.leaf) return openssl_error(what + " " + path + " holds no PEM certificate");
  while (X509* more = PEM_read_bio_X509(in->get(), nullptr, nullptr, nullptr))
    sk_X509_push(chain.rest.get(), more);
  ERR_clear_error();  // the end of the file reads as an error
  return chain;
}

Result<Owned<EVP_PKEY>> new_key() {
  Owned<EVP_PKEY> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return machine_error("cannot generate a key: " + openssl_reason());
  return key;
}

bool add_extension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  Owned<X509_EXTENSION> ext(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool random_serial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return false;
  bytes[0] &= 0x7f;  // positive, as RFC 5280 wants
  Owned<BIGNUM> n(BN_bin2bn(bytes, sizeof bytes, nullptr));
  return n && BN_to_ASN1_INTEGER(n.get(), X509_get_serialNumber(cert)) != nullptr;
}

struct Signer {
  X509* cert = nullptr;  // null: the certificate signs itself (the CA)
  EVP_PKEY* key = nullptr;
};

// CN names the holder; the CA's carries a random tag, so certificates of
// two clusters' CAs are told apart at a glance.
Result<Owned<X509>> new_cert(EVP_PKEY* key, const std::string& common_name, Signer signer) {
  Owned<X509> cert(X509_new());
  X509_NAME* name = cert ? X509_get_subject_name(cert.get()) : nullptr;
  const bool is_ca = signer.cert == nullptr;
  bool ok = name && X509_set_version(cert.get(), 2) == 1 && random_serial(cert.get()) &&
            // An hour back: a peer whose clock is a little behind accepts it.
            X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) &&
            X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValidDays * 86400) &&
            X509_set_pubkey(cert.get(), key) == 1 &&
            X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                       reinterpret_cast<const unsigned char*>("Backbeat cluster"), -1,
                                       -1, 0) == 1 &&
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(common_name.c_str()),
                                       -1, -1, 0) == 1 &&
            X509_set_issuer_name(cert.get(), is_ca ? name : X509_get_subject_name(signer.cert)) == 1;
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, is_ca ? cert.get() : signer.cert, cert.get(), nullptr, nullptr, 0);
  // Both directions: a member accepts (server) and connects (client), and
  // OpenSSL checks the purpose that fits each.
  ok = ok && add_extension(cert.get(), &ctx, NID_basic_constraints,
                           is_ca ? "critical,CA:TRUE,pathlen:0" : "critical,CA:FALSE") &&
       add_extension(cert.get(), &ctx, NID_key_usage,
                     is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature") &&
       (is_ca || add_extension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth,clientAuth")) &&
       add_extension(cert.get(), &ctx, NID_subject_key_identifier, "hash") &&
       add_extension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always") &&
       X509_sign(cert.get(), is_ca ? key : signer.key, EVP_sha256()) > 0;
  if (!ok) return openssl_error("cannot make the certificate for " + common_name);
  return cert;
}

// Whole or not at all: written beside the target, then renamed over it.
Status write_file(const std::string& path, const std::string& text, mode_t mode) {
  const std::string tmp = path + ".tmp";
  const auto fail = [&](const std::string& what) -> Status {
    const std::string reason = std::strerror(errno);
    ::unlink(tmp.c_str());
    return machine_error("cannot " + what + " " + path + ": " + reason);
  };
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return fail("create");
  // open() honours the umask and keeps an older file's mode: set it.
  bool ok = ::fchmod(fd, mode) == 0;
  for (size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += size_t(n);
  }
  ok = ok && ::fsync(fd) == 0;
  if (::close(fd) != 0) ok = false;
  if (!ok) return fail("write");
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("rename onto");
  return ok_status();
}

template <class Write>
Result<std::string> pem_text(Write write, const std::string& what) {
  Owned<BIO> out(BIO_new(BIO_s_mem()));
  if (!out || write(out.get()) != 1) return openssl_error("cannot encode " + what);
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, size_t(size));
}

Status write_pair(const std::string& cert_path, X509* cert, const std::string& key_path,
                  EVP_PKEY* key) {
  auto cert_pem = pem_text([&](BIO* b) { return PEM_write_bio_X509(b, cert); }, cert_path);
  auto key_pem = pem_text(
      [&](BIO* b) { return PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); },
      key_path);
  if (!cert_pem) return cert_pem.error();
  if (!key_pem) return key_pem.error();
  // The key first: a certificate is never on disk without its key.
  if (auto s = write_file(key_path, *key_pem, 0600); !s) return s;
  return write_file(cert_path, *cert_pem, 0644);
}

std::string ca_common_name() {
  unsigned char tag[4] = {};
  RAND_bytes(tag, sizeof tag);
  char hex[9];
  std::snprintf(hex, sizeof hex, "%02x%02x%02x%02x", tag[0], tag[1], tag[2], tag[3]);
  return std::string("Backbeat cluster CA ") + hex;
}

struct Authority {
  Owned<X509> cert;
  Owned<EVP_PKEY> key;
};

Result<Authority> load_ca(const std::string& cert_path, const std::string& key_path) {
  auto certs = read_certs(cert_path, "the CA certificate");
  if (!certs) return certs.error();
  auto key = read_key(key_path, "the CA key");
  if (!key) return key.error();
  if (X509_check_private_key(certs->leaf.get(), key->get()) != 1)
    return openssl_error(key_path + " is not the key of " + cert_path);
  return Authority{std::move(certs->leaf), std::move(*key)};
}

// Reuses DIR's CA or creates one; `created` says which.
Result<Authority> ensure_ca(const CertsPlan& plan, CertsMade& made) {
  namespace fs = std::filesystem;
  const TlsFiles paths = member_files(plan.dir, "ca");
  const bool has_cert = fs::exists(paths.cert), has_key = fs::exists(paths.key);
  if (!plan.new_ca && has_cert && has_key) return load_ca(paths.cert, paths.key);
  if (!plan.new_ca && (has_cert || has_key))
    return certs_error(plan.dir + " holds " + (has_cert ? paths.cert : paths.key) + " but not " +
                       (has_cert ? paths.key : paths.cert) +
                       ": restore it, or make a new CA with --new-ca (every member then needs "
                       "new certificates)");
  auto key = new_key();
  if (!key) return key.error();
  auto cert = new_cert(key->get(), ca_common_name(), Signer{});
  if (!cert) return cert.error();
  if (auto s = write_pair(paths.cert, cert->get(), paths.key, key->get()); !s) return s.error();
  made.ca_created = true;
  made.files.insert(made.files.end(), {paths.cert, paths.key});
  return Authority{std::move(*cert), std::move(*key)};
}

Status verify_for(X509_STORE* trusted, const CertChain& chain, int purpose,
                  const std::string& cert_path, const std::string& ca_path) {
  Owned<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), trusted, chain.leaf.get(), chain.rest.get()) != 1 ||
      X509_STORE_CTX_set_purpose(ctx.get(), purpose) != 1)
    return openssl_error("cannot check " + cert_path);
  if (X509_verify_cert(ctx.get()) == 1) return ok_status();
  const int code = X509_STORE_CTX_get_error(ctx.get());
  ERR_clear_error();
  return certs_error("cluster.tls_cert " + cert_path + " does not verify against cluster.tls_ca " +
                     ca_path + " (checked as a TLS " +
                     (purpose == X509_PURPOSE_SSL_SERVER ? "server" : "client") +
                     "): " + X509_verify_cert_error_string(code));
}

}  // namespace

TlsFiles member_files(const std::string& dir, const std::string& member) {
  const std::filesystem::path d(dir);
  return {(d / (member + ".crt")).string(), (d / (member + ".key")).string(), (d / "ca.crt").string()};
}

Result<CertsMade> make_certs(const CertsPlan& plan) {
  if (plan.members.empty()) return certs_error("name at least one member");
  for (const std::string& m : plan.members) {
    if (auto s = check_member_id(m); !s) return s.error();
    if (m == "ca") return certs_error("'ca' names the CA's files; choose another member id");
  }
  std::error_code ec;
  std::filesystem::create_directories(plan.dir, ec);
  if (ec) return machine_error("cannot create " + plan.dir + ": " + ec.message());
  CertsMade made;
  auto ca = ensure_ca(plan, made);
  if (!ca) return ca.error();
  for (const std::string& member : plan.members) {
    auto key = new_key();
    if (!key) return key.error();
    auto cert = new_cert(key->get(), member, Signer{ca->cert.get(), ca->key.get()});
    if (!cert) return cert.error();
    const TlsFiles files = member_files(plan.dir, member);
    if (auto s = write_pair(files.cert, cert->get(), files.key, key->get()); !s) return s.error();
    made.files.insert(made.files.end(), {files.cert, files.key});
  }
  return made;
}

Status check_member_files(const TlsFiles& files) {
  auto chain = read_certs(files.cert, "cluster.tls_cert");
  if (!chain) return chain.error();
  auto key = read_key(files.key, "cluster.tls_key");
  if (!key) return key.error();
  if (X509_check_private_key(chain->leaf.get(), key->get()) != 1)
    return openssl_error("cluster.tls_key " + files.key + " is not the key of cluster.tls_cert " +
                         files.cert);
  // Loaded the way CAF loads it (SSL_CTX_load_verify_locations): a bundle
  // of several CAs works too.
  Owned<X509_STORE> trusted(X509_STORE_new());
  if (!trusted) return openssl_error("cannot check " + files.cert);
  if (auto readable = open_pem(files.ca, "cluster.tls_ca"); !readable) return readable.error();
  if (X509_STORE_load_file(trusted.get(), files.ca.c_str()) != 1)
    return openssl_error("cluster.tls_ca " + files.ca + " holds no PEM certificate");
  for (int purpose : {X509_PURPOSE_SSL_SERVER, X509_PURPOSE_SSL_CLIENT})
    if (auto s = verify_for(trusted.get(), *chain, purpose, files.cert, files.ca); !s) return s;
  return ok_status();
}

}  // namespace backbeat::cluster
