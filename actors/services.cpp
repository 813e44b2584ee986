#include "actors/services.hpp"

#include <chrono>

namespace backbeat::actors {

RandomUuids::RandomUuids() : rng_(std::random_device{}()) {}

Uuid RandomUuids::next() {
  Uuid u;
  {
    std::lock_guard<std::mutex> lock(mu_);
    u.hi = rng_();
    u.lo = rng_();
  }
  u.hi = (u.hi & ~0xF000ull) | 0x4000ull;                              // version 4
  u.lo = (u.lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;       // RFC 4122 variant
  return u;
}

Millis wall_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace backbeat::actors
