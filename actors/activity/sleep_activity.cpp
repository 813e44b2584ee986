#include <algorithm>

#include "actors/activity/builtins.hpp"

namespace backbeat::activity {
namespace {

using wake_atom = caf::atom_constant<caf::atom("bb_wake")>;

constexpr double kMaxSeconds = 7 * 24 * 3600;

}  // namespace

caf::behavior SleepActivity::make(caf::event_based_actor* self, const Env& env) {
  return {
      [self, &env](run_atom, const Job& job) -> caf::result<Outcome> {
        const Json seconds = job.client_data.value("seconds", Json());
        if (!seconds.is_number() || seconds.get<double>() < 0 ||
            seconds.get<double>() > kMaxSeconds)
          return errored("client_data.seconds must be a number of seconds, 0 to 604800");
        const auto ms = Millis(seconds.get<double>() * 1000);
        // From when the node was sent, so a re-run after a restart only
        // sleeps what is left.
        const Millis left = std::max<Millis>(0, job.sent_at + ms - env.clock());
        auto promise = self->make_response_promise();
        self->become([promise, ms](wake_atom) mutable {
          promise.deliver(completed({{"slept_ms", ms}}));
        });
        self->delayed_send(self, std::chrono::milliseconds(left), wake_atom::value);
        return promise;
      },
  };
}

}  // namespace backbeat::activity
