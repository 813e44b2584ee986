#include "actors/memory_trimmer.hpp"

#include <malloc.h>

#include <algorithm>

namespace backbeat::actors {
namespace {

using trim_atom = caf::atom_constant<caf::atom("bb_trim")>;

// Checks are a load of one atomic, often enough to see a burst's peak; trims
// are kept kMinTrimGap apart.
constexpr std::chrono::seconds kTrimCheck{1};
constexpr std::chrono::seconds kMinTrimGap{5};
constexpr int64_t kMinDrop = 1000;

struct TrimmerState {
  int64_t high = 0;  // most live workflow actors seen since the last trim
  std::chrono::steady_clock::time_point last_trim{};
  static inline const char* name = "backbeat.memory_trimmer";
};

caf::behavior trimmer(caf::stateful_actor<TrimmerState>* self,
                      const std::atomic<int64_t>* live_workflows) {
  self->delayed_send(self, kTrimCheck, trim_atom::value);
  return {
      [=](trim_atom) {
        auto& st = self->state;
        const int64_t live = live_workflows->load(std::memory_order_relaxed);
        st.high = std::max(st.high, live);
        const auto now = std::chrono::steady_clock::now();
        if (st.high - live >= kMinDrop && live <= st.high / 2 && now - st.last_trim >= kMinTrimGap) {
          malloc_trim(0);
          st.high = live;
          st.last_trim = now;
        }
        self->delayed_send(self, kTrimCheck, trim_atom::value);
      },
  };
}

}  // namespace

caf::actor spawn_memory_trimmer(caf::actor_system& system,
                                const std::atomic<int64_t>* live_workflows) {
  return system.spawn(trimmer, live_workflows);
}

}  // namespace backbeat::actors
