#include "tests/bench/histogram.hpp"

#include <algorithm>
#include <bit>

namespace backbeat::bench {

void LatencyHistogram::record(std::chrono::steady_clock::duration d) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  record_us(us < 0 ? 0 : static_cast<uint64_t>(us));
}

void LatencyHistogram::record_us(uint64_t us) {
  buckets_[static_cast<size_t>(index_of(us))].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_us_.fetch_add(us, std::memory_order_relaxed);
  uint64_t seen = max_us_.load(std::memory_order_relaxed);
  while (us > seen && !max_us_.compare_exchange_weak(seen, us, std::memory_order_relaxed)) {
  }
}

// Values below 2^kSubBits map one to one; above, each power of two [2^e,
// 2^(e+1)) is cut into kSub equal buckets.
int LatencyHistogram::index_of(uint64_t us) {
  if (us < static_cast<uint64_t>(kSub)) return static_cast<int>(us);
  const int e = std::min(static_cast<int>(std::bit_width(us)) - 1, kMaxExponent);
  if (e == kMaxExponent) return kBuckets - 1;
  const int shift = e - kSubBits;
  const int sub = static_cast<int>(us >> shift) - kSub;  // 0 .. kSub-1
  return kSub * (shift + 1) + sub;
}

uint64_t LatencyHistogram::value_at(int index) {
  if (index < kSub) return static_cast<uint64_t>(index);
  const int shift = index / kSub - 1;
  const uint64_t low = static_cast<uint64_t>(kSub + index % kSub) << shift;
  return low + ((uint64_t{1} << shift) >> 1);
}

LatencySummary LatencyHistogram::summary() const {
  LatencySummary s;
  s.count = count_.load(std::memory_order_relaxed);
  if (s.count == 0) return s;
  s.mean_us = static_cast<double>(sum_us_.load(std::memory_order_relaxed)) /
              static_cast<double>(s.count);
  s.max_us = max_us_.load(std::memory_order_relaxed);

  // The counts may have moved on since count_ was read; rank against the
  // bucket total actually walked so a percentile never runs off the end.
  uint64_t total = 0;
  for (const auto& b : buckets_) total += b.load(std::memory_order_relaxed);
  const auto rank = [total](double q) {
    return std::max<uint64_t>(1, static_cast<uint64_t>(q * static_cast<double>(total) + 0.999999));
  };
  const uint64_t want[3] = {rank(0.50), rank(0.95), rank(0.99)};
  uint64_t* out[3] = {&s.p50_us, &s.p95_us, &s.p99_us};
  uint64_t seen = 0;
  int next = 0;
  for (int i = 0; i < kBuckets && next < 3; ++i) {
    seen += buckets_[static_cast<size_t>(i)].load(std::memory_order_relaxed);
    while (next < 3 && seen >= want[next]) *out[next++] = std::min(value_at(i), s.max_us);
  }
  return s;
}

}  // namespace backbeat::bench
