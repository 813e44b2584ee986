#include "tests/support/test_certificate.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <memory>

namespace backbeat::test {
namespace {

template <class T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, std::integral_constant<decltype(Free), Free>>;

void add_extension(X509* x, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  Owned<X509_EXTENSION, X509_EXTENSION_free> ext(
      X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  BOOST_REQUIRE(ext && X509_add_ext(x, ext.get(), -1) == 1);
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::unique_ptr<std::FILE, FileCloser> open_for_writing(const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "w"));
  BOOST_REQUIRE_MESSAGE(f, "cannot write " + path.string());
  return f;
}

}  // namespace

TestCertificate make_test_certificate(const std::filesystem::path& dir, const std::string& name,
                                      const std::string& passphrase) {
  Owned<EVP_PKEY, EVP_PKEY_free> key(EVP_EC_gen("P-256"));
  BOOST_REQUIRE(key);
  Owned<X509, X509_free> x(X509_new());
  BOOST_REQUIRE(x);
  X509_set_version(x.get(), 2);
  static long serial = 1;
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 86400);
  BOOST_REQUIRE(X509_set_pubkey(x.get(), key.get()) == 1);
  X509_NAME* subject = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(x.get(), subject);
  // Clients check the address they dialled against subjectAltName, not CN.
  add_extension(x.get(), NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  add_extension(x.get(), NID_basic_constraints, "critical,CA:TRUE");
  BOOST_REQUIRE(X509_sign(x.get(), key.get(), EVP_sha256()) > 0);

  TestCertificate out{dir / (name + ".crt"), dir / (name + ".key")};
  BOOST_REQUIRE(PEM_write_X509(open_for_writing(out.cert).get(), x.get()) == 1);
  const EVP_CIPHER* cipher = passphrase.empty() ? nullptr : EVP_aes_128_cbc();
  auto* pass = reinterpret_cast<unsigned char*>(const_cast<char*>(passphrase.data()));
  BOOST_REQUIRE(PEM_write_PrivateKey(open_for_writing(out.key).get(), key.get(), cipher, pass,
                                     int(passphrase.size()), nullptr, nullptr) == 1);
  return out;
}

}  // namespace backbeat::test
