#pragma once
// Sanitizer reports in a child's output. In the sanitizer build
// (BACKBEAT_SANITIZE) the server aborts on its first report, but a test may
// not notice a dead server (it may be killed next anyway), so tests that
// run the binary look for reports in its output as well.
#include <string>
#include <string_view>

namespace backbeat::test {

// The first AddressSanitizer, LeakSanitizer or UndefinedBehaviorSanitizer
// report in `output`, from its first line (at most `max_bytes`); empty if
// there is none.
std::string sanitizer_report(std::string_view output, size_t max_bytes = 8192);

}  // namespace backbeat::test
