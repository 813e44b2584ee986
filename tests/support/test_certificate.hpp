#pragma once
// Self-signed certificates for HTTPS tests, made with libcrypto (OpenSSL 3)
// so that no test needs the openssl command.
#include <filesystem>
#include <string>

namespace backbeat::test {

struct TestCertificate {
  std::filesystem::path cert;  // PEM; also the CA file a client verifies it with
  std::filesystem::path key;   // PEM, unencrypted unless a passphrase was given
};

// An EC P-256 certificate for 127.0.0.1 and localhost (subjectAltName),
// valid from an hour ago for a day, written as <dir>/<name>.crt and .key.
// A non-empty `passphrase` encrypts the key. Fails the test on error.
TestCertificate make_test_certificate(const std::filesystem::path& dir, const std::string& name,
                                      const std::string& passphrase = "");

}  // namespace backbeat::test
