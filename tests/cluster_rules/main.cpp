#define BOOST_TEST_MODULE cluster_rules
#include <boost/test/unit_test.hpp>
