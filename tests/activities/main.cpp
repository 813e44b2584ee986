#define BOOST_TEST_MODULE activities_tests
#include <boost/test/unit_test.hpp>
