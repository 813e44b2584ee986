#define BOOST_TEST_MODULE engine_tests
#include <boost/test/unit_test.hpp>
