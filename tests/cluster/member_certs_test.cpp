// The cluster's CA and its members' certificates (runtime/cluster/
// member_certs.hpp): what `backbeat cluster certs` writes, and the check a
// member runs on its own files at start.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "runtime/cluster/member_certs.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::cluster::test {
namespace {

using backbeat::test::TempDir;

std::string read_all(const std::string& path) {
  std::ostringstream out;
  out << std::ifstream(path, std::ios::binary).rdbuf();
  return out.str();
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

std::string common_name(const std::string& cert_path) {
  FILE* f = std::fopen(cert_path.c_str(), "r");
  BOOST_REQUIRE(f);
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  BOOST_REQUIRE(cert);
  char cn[256] = "";
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  X509_free(cert);
  return cn;
}

CertsMade make(const std::string& dir, std::vector<std::string> members, bool new_ca = false) {
  auto made = make_certs(CertsPlan{dir, std::move(members), new_ca});
  BOOST_REQUIRE_MESSAGE(made.ok(), (made.ok() ? std::string() : made.error().message));
  return std::move(made).value();
}

std::string check_error(const TlsFiles& files) {
  const Status s = check_member_files(files);
  return s.ok() ? std::string() : s.error().message;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(member_certs)

BOOST_AUTO_TEST_CASE(each_member_certificate_verifies_against_its_ca) {
  TempDir dir("backbeat-certs");
  const CertsMade made = make(dir.str(), {"n1", "n2"});
  BOOST_TEST(made.ca_created);
  BOOST_TEST(made.files.size() == 6u);
  for (const std::string id : {"n1", "n2"}) {
    const TlsFiles files = member_files(dir.str(), id);
    BOOST_TEST(check_error(files) == "", id);
    BOOST_TEST(common_name(files.cert) == id);
    BOOST_TEST(mode_of(files.key) == 0600u);
    BOOST_TEST(mode_of(files.cert) == 0644u);
  }
  BOOST_TEST(mode_of(member_files(dir.str(), "ca").key) == 0600u);
  BOOST_TEST(common_name(member_files(dir.str(), "ca").cert).rfind("Backbeat cluster CA ", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(a_certificate_of_another_ca_or_another_key_is_refused) {
  TempDir ours("backbeat-certs"), theirs("backbeat-certs");
  make(ours.str(), {"n1", "n2"});
  make(theirs.str(), {"n1"});
  TlsFiles foreign = member_files(theirs.str(), "n1");
  foreign.ca = member_files(ours.str(), "n1").ca;
  BOOST_TEST(check_error(foreign).find("does not verify against cluster.tls_ca") != std::string::npos,
             check_error(foreign));
  TlsFiles mixed = member_files(ours.str(), "n1");
  mixed.key = member_files(ours.str(), "n2").key;
  BOOST_TEST(check_error(mixed).find("is not the key of cluster.tls_cert") != std::string::npos,
             check_error(mixed));
  // The CA's own certificate is no member certificate: it may not serve.
  TlsFiles ca = member_files(ours.str(), "ca");
  BOOST_TEST(check_error(ca) != "");
  TlsFiles missing = member_files(ours.str(), "n9");
  BOOST_TEST(check_error(missing).find("cannot read cluster.tls_cert") != std::string::npos,
             check_error(missing));
}

BOOST_AUTO_TEST_CASE(a_new_member_is_signed_by_the_existing_ca_unless_a_new_one_is_asked) {
  TempDir dir("backbeat-certs");
  make(dir.str(), {"n1", "n2"});
  const std::string ca_before = read_all(member_files(dir.str(), "ca").cert);
  const CertsMade again = make(dir.str(), {"n3"});
  BOOST_TEST(!again.ca_created);
  BOOST_TEST(read_all(member_files(dir.str(), "ca").cert) == ca_before);
  BOOST_TEST(check_error(member_files(dir.str(), "n1")) == "");  // still good
  BOOST_TEST(check_error(member_files(dir.str(), "n3")) == "");

  const CertsMade fresh = make(dir.str(), {"n1"}, true);
  BOOST_TEST(fresh.ca_created);
  BOOST_TEST(read_all(member_files(dir.str(), "ca").cert) != ca_before);
  BOOST_TEST(check_error(member_files(dir.str(), "n1")) == "");
  BOOST_TEST(check_error(member_files(dir.str(), "n2")) != "");  // of the old CA
}

BOOST_AUTO_TEST_CASE(a_half_ca_and_bad_member_ids_are_refused) {
  TempDir dir("backbeat-certs");
  make(dir.str(), {"n1"});
  std::filesystem::remove(member_files(dir.str(), "ca").key);
  auto half = make_certs(CertsPlan{dir.str(), {"n2"}, false});
  BOOST_REQUIRE(!half.ok());
  BOOST_TEST(half.error().message.find("--new-ca") != std::string::npos, half.error().message);
  for (const std::string& bad : std::vector<std::string>{"", "../n1", "a/b", "ca", "..", std::string(65, 'x')})
    BOOST_TEST(!make_certs(CertsPlan{dir.str(), {bad}, false}).ok(), "'" << bad << "'");
  BOOST_TEST(!make_certs(CertsPlan{dir.str(), {}, false}).ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::cluster::test
