#pragma once
// The example of docs/activity-actors.md: totals client_data.amounts, whole
// cents, as an invoicing service would.
#include "actors/activity/activity.hpp"

namespace backbeat::activity {

struct SumAmounts {
  static constexpr std::string_view name = "sum_amounts";

  static caf::behavior make(caf::event_based_actor*, const Env&) {
    return {
        [](run_atom, const Job& job) -> Outcome {
          const Json amounts = job.client_data.value("amounts", Json());
          if (!amounts.is_array()) return errored("client_data.amounts must be an array");
          int64_t total = 0;
          for (const Json& amount : amounts) {
            if (!amount.is_number_integer()) return errored("amounts are whole cents");
            if (__builtin_add_overflow(total, amount.get<int64_t>(), &total))
              return errored("the total does not fit in 64 bits");
          }
          return completed({{"total_cents", total}, {"count", amounts.size()}});
        },
    };
  }
};

}  // namespace backbeat::activity
