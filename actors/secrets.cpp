#include "actors/secrets.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include <initializer_list>

#include <openssl/crypto.h>
#include <openssl/evp.h>

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

namespace {

// OpenSSL 3 looks the algorithm up on every one-shot call (SHA256(),
// HMAC()): about 21,000 instructions per token check, on every request.
// Fetched once, with a context per thread, a digest costs about 4,000.
struct DigestContext {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~DigestContext() { EVP_MD_CTX_free(ctx); }
};

Digest digest_of(std::initializer_list<std::string_view> parts) {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local DigestContext c;
  Digest d{};
  unsigned int len = 0;
  if (!md || !c.ctx || EVP_DigestInit_ex(c.ctx, md, nullptr) != 1) std::abort();
  for (std::string_view p : parts) EVP_DigestUpdate(c.ctx, p.data(), p.size());
  EVP_DigestFinal_ex(c.ctx, d.data(), &len);
  return d;
}

// RFC 2104 over SHA-256; the keys here are 32 bytes, under one block.
Digest hmac(std::string_view key, std::string_view data) {
  constexpr size_t kBlock = 64;
  if (key.size() > kBlock) std::abort();
  char inner_pad[kBlock], outer_pad[kBlock];
  for (size_t i = 0; i < kBlock; ++i) {
    const char k = i < key.size() ? key[i] : 0;
    inner_pad[i] = char(k ^ 0x36);
    outer_pad[i] = char(k ^ 0x5c);
  }
  const Digest inner = digest_of({{inner_pad, kBlock}, data});
  return digest_of(
      {{outer_pad, kBlock}, {reinterpret_cast<const char*>(inner.data()), inner.size()}});
}

}  // namespace

Digest sha256(std::string_view data) { return digest_of({data}); }

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
