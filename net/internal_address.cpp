#include "net/internal_address.hpp"

#include <arpa/inet.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace backbeat::net {
namespace {

bool internal_v4(uint32_t a) {  // host byte order
  const auto in = [a](uint32_t net, int bits) {
    return bits == 0 || (a >> (32 - bits)) == (net >> (32 - bits));
  };
  return in(0x7F000000, 8)            // 127/8 loopback
         || in(0xA9FE0000, 16)        // 169.254/16 link-local, metadata
         || in(0x00000000, 8)         // 0/8 "this network", 0.0.0.0
         || a == 0x646464C8           // 100.100.100.200, Alibaba Cloud metadata
         || in(0xE0000000, 4)         // multicast
         || a == 0xFFFFFFFF;          // broadcast
}

}  // namespace

bool is_internal_address(std::string_view ip) {
  const std::string text(ip);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return internal_v4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return true;
  const unsigned char* b = v6.s6_addr;
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  static const unsigned char kZero[12] = {};
  // ::ffff:a.b.c.d and the old ::a.b.c.d carry an IPv4 address.
  if (std::memcmp(b, kMapped, 12) == 0 || std::memcmp(b, kZero, 12) == 0) {
    const uint32_t a = (uint32_t(b[12]) << 24) | (uint32_t(b[13]) << 16) | (uint32_t(b[14]) << 8) | b[15];
    // :: and ::1 fall in here too (0.0.0.0 and 0.0.0.1, both 0/8).
    return internal_v4(a);
  }
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return true;  // fe80::/10 link-local
  if (b[0] == 0xFF) return true;                           // multicast
  // fd00:ec2::254, the AWS metadata service over IPv6.
  static const unsigned char kAwsMetadata[16] = {0xFD, 0, 0x0E, 0xC2, 0, 0, 0, 0,
                                                 0,    0, 0,    0,    0, 0, 0x02, 0x54};
  return std::memcmp(b, kAwsMetadata, 16) == 0;
}

}  // namespace backbeat::net
