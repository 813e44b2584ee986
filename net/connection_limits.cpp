#include "net/connection_limits.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace backbeat::net {

AddressKey ipv4_key(uint32_t host_order_address) {
  AddressKey key{};
  key[10] = key[11] = 0xff;
  for (int i = 0; i < 4; ++i) key[12 + i] = uint8_t(host_order_address >> (24 - 8 * i));
  return key;
}

std::string to_string(const AddressKey& key) {
  static constexpr uint8_t kV4Mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char text[INET6_ADDRSTRLEN] = {};
  const bool v4 = std::memcmp(key.data(), kV4Mapped, sizeof kV4Mapped) == 0;
  if (!inet_ntop(v4 ? AF_INET : AF_INET6, key.data() + (v4 ? 12 : 0), text, sizeof text))
    return "?";
  return text;
}

bool AddressCounts::try_acquire(const AddressKey& key, size_t limit) {
  auto [it, fresh] = counts_.try_emplace(key, 0);
  if (limit != 0 && it->second >= limit) return false;  // not fresh: limit is at least 1
  ++it->second;
  ++total_;
  return true;
}

void AddressCounts::release(const AddressKey& key) {
  auto it = counts_.find(key);
  if (it == counts_.end()) return;
  --total_;
  // Erased at zero: the map holds only addresses with connections open, so
  // many one-off clients do not make it grow.
  if (--it->second == 0) counts_.erase(it);
}

size_t AddressCounts::open(const AddressKey& key) const {
  auto it = counts_.find(key);
  return it == counts_.end() ? 0 : it->second;
}

size_t AddressCounts::Hash::operator()(const AddressKey& key) const {
  uint64_t halves[2];
  std::memcpy(halves, key.data(), sizeof halves);
  return std::hash<uint64_t>{}(halves[0] * 0x9E3779B97F4A7C15ULL ^ halves[1]);
}

}  // namespace backbeat::net
