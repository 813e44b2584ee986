#define BOOST_TEST_MODULE cluster_process_tests
#include <boost/test/unit_test.hpp>
