#include "engine/uuid.hpp"

#include "engine/sha1.hpp"

namespace backbeat {
namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<Uuid> Uuid::parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Uuid u;
  int nibbles = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    int v = hex_value(text[i]);
    if (v < 0) return std::nullopt;
    uint64_t& half = nibbles < 16 ? u.hi : u.lo;
    half = (half << 4) | uint64_t(v);
    ++nibbles;
  }
  return u;
}

Uuid Uuid::from_bytes(const void* sixteen_bytes) {
  auto p = static_cast<const unsigned char*>(sixteen_bytes);
  Uuid u;
  for (int i = 0; i < 8; ++i) u.hi = (u.hi << 8) | p[i];
  for (int i = 8; i < 16; ++i) u.lo = (u.lo << 8) | p[i];
  return u;
}

Uuid Uuid::from_name(const Uuid& ns, std::string_view name) {
  std::string input;
  input.reserve(16 + name.size());
  auto nb = ns.bytes();
  input.append(reinterpret_cast<const char*>(nb.data()), nb.size());
  input.append(name);
  auto digest = sha1(input);
  digest[6] = uint8_t((digest[6] & 0x0F) | 0x50);  // version 5
  digest[8] = uint8_t((digest[8] & 0x3F) | 0x80);  // RFC 4122 variant
  return from_bytes(digest.data());
}

std::array<unsigned char, 16> Uuid::bytes() const {
  std::array<unsigned char, 16> out{};
  for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(hi >> (56 - 8 * i));
  for (int i = 0; i < 8; ++i) out[8 + i] = static_cast<unsigned char>(lo >> (56 - 8 * i));
  return out;
}

std::string Uuid::str() const {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  auto b = bytes();
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(digits[b[i] >> 4]);
    out.push_back(digits[b[i] & 0xF]);
  }
  return out;
}
}  // namespace backbeat
