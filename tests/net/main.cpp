#define BOOST_TEST_MODULE net_tests
#include <boost/test/unit_test.hpp>
