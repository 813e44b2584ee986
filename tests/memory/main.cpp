#define BOOST_TEST_MODULE memory_tests
#include <boost/test/unit_test.hpp>
