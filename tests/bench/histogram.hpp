#pragma once
// Latency histogram for the load generator. Recording happens on the fake
// client's I/O thread and on the HTTP client's thread at tens of thousands
// of samples a second, so it must not lock or allocate: fixed log-linear
// buckets of relaxed atomics (HdrHistogram's layout, 32 sub-buckets per
// power of two, so any percentile is within ~3 % of the true value).
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace backbeat::bench {

struct LatencySummary {
  uint64_t count = 0;
  double mean_us = 0;
  uint64_t p50_us = 0;
  uint64_t p95_us = 0;
  uint64_t p99_us = 0;
  uint64_t max_us = 0;
};

class LatencyHistogram {
 public:
  LatencyHistogram() = default;
  LatencyHistogram(const LatencyHistogram&) = delete;
  LatencyHistogram& operator=(const LatencyHistogram&) = delete;

  void record(std::chrono::steady_clock::duration d);
  void record_us(uint64_t us);

  // Not atomic as a whole: a summary taken while samples still arrive may
  // be off by those few samples, which no percentile notices.
  LatencySummary summary() const;

 private:
  static constexpr int kSubBits = 5;                 // 32 sub-buckets
  static constexpr int kSub = 1 << kSubBits;
  static constexpr int kMaxExponent = 40;            // ~12 days in µs
  static constexpr int kBuckets = kSub * (kMaxExponent - kSubBits + 2);

  static int index_of(uint64_t us);
  static uint64_t value_at(int index);  // the middle of the bucket

  std::array<std::atomic<uint64_t>, kBuckets> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_us_{0};
  std::atomic<uint64_t> max_us_{0};
};

}  // namespace backbeat::bench
