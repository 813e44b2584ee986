#pragma once
// 128-bit identifiers for users, workflows and nodes. Kept as two integers so
// they are cheap to copy, hash and order, and serialise to 16 bytes in keys.
#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace backbeat {

struct Uuid {
  uint64_t hi = 0;
  uint64_t lo = 0;

  // Accepts the canonical 8-4-4-4-12 hex form (either case); nullopt otherwise,
  // so a malformed id in a URL becomes a 400, never a lookup.
  static std::optional<Uuid> parse(std::string_view text);
  static Uuid from_bytes(const void* sixteen_bytes);
  // Version-5 style (SHA-1, RFC 4122) name-based id: the same name always
  // yields the same id, which is what makes find-or-create a single-actor job.
  static Uuid from_name(const Uuid& ns, std::string_view name);

  std::string str() const;                 // canonical lower-case form
  std::array<unsigned char, 16> bytes() const;  // big-endian, sorts like str()
  bool is_nil() const { return hi == 0 && lo == 0; }

  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

// Random (version 4) ids; the generator is injected so tests are repeatable.
class UuidGenerator {
 public:
  virtual ~UuidGenerator() = default;
  virtual Uuid next() = 0;
};

}  // namespace backbeat

template <>
struct std::hash<backbeat::Uuid> {
  size_t operator()(const backbeat::Uuid& u) const noexcept {
    return std::hash<uint64_t>{}(u.hi ^ (u.lo * 0x9E3779B97F4A7C15ull));
  }
};
