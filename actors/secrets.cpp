#include "actors/secrets.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

namespace backbeat::actors {

void random_bytes(void* out, size_t n) {
  auto* p = static_cast<unsigned char*>(out);
  while (n > 0) {
    const ssize_t got = getrandom(p, n, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      std::perror("backbeat: getrandom");
      std::abort();
    }
    p += got;
    n -= size_t(got);
  }
}

std::string new_token() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  unsigned char bytes[16];
  random_bytes(bytes, sizeof bytes);
  // 128 bits as 22 sextets (the last one carries 2 bits), like Ruby's
  // SecureRandom.urlsafe_base64 without padding.
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 63]);
  return out;
}

Digest sha256(std::string_view data) {
  Digest d{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), d.data());
  return d;
}

namespace {

Digest hmac(std::string_view key, std::string_view data) {
  Digest d{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), int(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), d.data(), &len);
  return d;
}

}  // namespace

TokenSeal seal_token(std::string_view token) {
  TokenSeal seal;
  seal.key.resize(32);
  random_bytes(seal.key.data(), seal.key.size());
  const Digest d = hmac(seal.key, token);
  seal.digest.assign(reinterpret_cast<const char*>(d.data()), d.size());
  return seal;
}

void set_token(User& user, std::string_view token) {
  TokenSeal s = seal_token(token);
  user.token_key = std::move(s.key);
  user.token_digest = std::move(s.digest);
  user.legacy_token.clear();
}

bool token_matches(std::string_view key, std::string_view digest, std::string_view presented) {
  if (key.empty() || digest.size() != sizeof(Digest)) return false;
  const Digest d = hmac(key, presented);
  return CRYPTO_memcmp(d.data(), digest.data(), d.size()) == 0;
}

bool same_digest(const Digest& a, const Digest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace backbeat::actors
