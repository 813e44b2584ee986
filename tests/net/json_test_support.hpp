#pragma once
// Shared by the json_*_test files.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

// Compare JSON by its text. BOOST_TEST(a == b) would see nlohmann::json as a
// container and compare element values only, missing key differences.
#define BB_CHECK_JSON(actual, expected) BOOST_TEST((actual).dump() == (expected).dump())
