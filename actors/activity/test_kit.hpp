#pragma once
// Activities that misbehave on purpose, for tests of supervision. Registered
// only with [activities] test_kit = true; never in a production catalog.
#include "actors/activity/catalog.hpp"

namespace backbeat::activity {

// test.throw: throws from its handler. test.exit: stops with an error
// without answering. test.hang: never answers.
Status register_test_kit(Catalog& catalog);

}  // namespace backbeat::activity
