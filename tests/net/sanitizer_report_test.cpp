#include <boost/test/unit_test.hpp>

#include "tests/support/sanitizer_report.hpp"

namespace backbeat::test {

BOOST_AUTO_TEST_SUITE(sanitizer_reports)

BOOST_AUTO_TEST_CASE(clean_output_has_none) {
  BOOST_TEST(sanitizer_report("listening on http://127.0.0.1:1234\nstopped\n").empty());
  BOOST_TEST(sanitizer_report("").empty());
}

BOOST_AUTO_TEST_CASE(each_sanitizer_is_recognised_from_its_first_line) {
  const std::string asan =
      "listening\n==42==ERROR: AddressSanitizer: heap-use-after-free on address 0x1\n#0 f\n";
  BOOST_TEST(sanitizer_report(asan) ==
             "==42==ERROR: AddressSanitizer: heap-use-after-free on address 0x1\n#0 f\n");
  BOOST_TEST(!sanitizer_report("==7==ERROR: LeakSanitizer: detected memory leaks\n").empty());
  BOOST_TEST(sanitizer_report("a\nnet/x.cpp:3:9: runtime error: signed integer overflow\n") ==
             "net/x.cpp:3:9: runtime error: signed integer overflow\n");
  BOOST_TEST(!sanitizer_report("AddressSanitizer:DEADLYSIGNAL\n").empty());
}

BOOST_AUTO_TEST_CASE(a_long_report_is_cut) {
  BOOST_TEST(sanitizer_report("ERROR: AddressSanitizer: " + std::string(100, 'x'), 10).size() == 10);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
