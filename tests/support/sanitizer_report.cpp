#include "tests/support/sanitizer_report.hpp"

#include <algorithm>

namespace backbeat::test {

std::string sanitizer_report(std::string_view output, size_t max_bytes) {
  // What each sanitizer prints on the first line of a report.
  static constexpr std::string_view kMarkers[] = {
      "ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "AddressSanitizer:DEADLYSIGNAL",
      ": runtime error: ",       "UndefinedBehaviorSanitizer"};
  size_t first = std::string_view::npos;
  for (std::string_view marker : kMarkers) first = std::min(first, output.find(marker));
  if (first == std::string_view::npos) return {};
  const size_t line_start = output.rfind('\n', first);
  const size_t from = line_start == std::string_view::npos ? 0 : line_start + 1;
  return std::string(output.substr(from, max_bytes));
}

}  // namespace backbeat::test
