#pragma once
// Open connections per client address (http.max_connections_per_address), so
// one client cannot take all of max_connections. Socket-free: the server
// turns the peer's address into a key.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace backbeat::net {

// An address in its 16-byte IPv6 form, IPv4 ones v4-mapped (::ffff:a.b.c.d),
// so a client counts once whichever way a dual-stack listener saw it.
using AddressKey = std::array<uint8_t, 16>;

AddressKey ipv4_key(uint32_t host_order_address);
std::string to_string(const AddressKey& key);  // "127.0.0.1", "::1"

// Not thread-safe: the server calls it under the lock it holds for its
// sessions anyway.
class AddressCounts {
 public:
  // Counts one more connection of `key` unless it already has `limit`
  // (0: no limit).
  bool try_acquire(const AddressKey& key, size_t limit);
  // For each successful try_acquire, once.
  void release(const AddressKey& key);
  size_t open(const AddressKey& key) const;
  size_t total() const { return total_; }              // over every address
  size_t addresses() const { return counts_.size(); }  // with a connection open

 private:
  struct Hash {
    size_t operator()(const AddressKey& key) const;
  };
  std::unordered_map<AddressKey, size_t, Hash> counts_;
  size_t total_ = 0;
};

}  // namespace backbeat::net
