#include "actors/services.hpp"

#include <chrono>

#include "actors/secrets.hpp"

namespace backbeat::actors {

Uuid RandomUuids::next() {
  struct Pool {
    uint64_t words[512];
    size_t used = 512;
  };
  thread_local Pool pool;
  if (pool.used + 2 > 512) {
    random_bytes(pool.words, sizeof pool.words);
    pool.used = 0;
  }
  Uuid u;
  u.hi = pool.words[pool.used++];
  u.lo = pool.words[pool.used++];
  u.hi = (u.hi & ~0xF000ull) | 0x4000ull;                              // version 4
  u.lo = (u.lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;       // RFC 4122 variant
  return u;
}

Millis wall_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace backbeat::actors
