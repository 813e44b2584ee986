#pragma once
// Waiting in a test for what another thread or process makes true.
#include <chrono>
#include <functional>

namespace backbeat::test {

// Polls `done` every `every` until it holds; false once `timeout` has
// passed. Each suite says how long it may wait: a bound that is too short
// fails a slow machine, one that is too long only delays a real failure.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds every = std::chrono::milliseconds(20));

}  // namespace backbeat::test
