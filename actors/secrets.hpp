#pragma once
// Secrets: where randomness comes from and how a token is kept.
//
// Ids and tokens come from the kernel's CSPRNG (getrandom): a guessable node
// or user id, or a token drawn from a 32-bit seed, would be a capability
// anyone could mint. A user's token is never stored: the record keeps a
// random per-user key and HMAC-SHA256(key, token), so a copy of the data dir,
// a backup or a member's memory gives no working token, and a presented
// token is checked by comparing two 32-byte digests in constant time.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "engine/model.hpp"

namespace backbeat::actors {

// Fills `out` from getrandom(2). Aborts the process if the kernel refuses:
// running on without secure randomness would be worse than stopping.
void random_bytes(void* out, size_t n);

// 22 characters of URL-safe base64 over 16 random bytes (the original's shape).
std::string new_token();

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view data);

// What a user record keeps of its token.
struct TokenSeal {
  std::string key;     // 32 random bytes
  std::string digest;  // HMAC-SHA256(key, token), 32 bytes
};

TokenSeal seal_token(std::string_view token);
// Gives `user` this token: a fresh seal, no plaintext left behind.
void set_token(User& user, std::string_view token);
// Constant time in the token's content; false for an empty seal.
bool token_matches(std::string_view key, std::string_view digest, std::string_view presented);

// Constant-time equality of two digests.
bool same_digest(const Digest& a, const Digest& b);

}  // namespace backbeat::actors
