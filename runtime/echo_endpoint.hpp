#pragma once
// `backbeat echo-endpoint`: a stand-in client service for trying Backbeat by
// hand. It prints every callback it receives and answers 200, so a newcomer
// can watch decisions and activities arrive and answer them with curl.
#include <cstdint>

namespace backbeat::runtime {

// Runs until SIGINT or SIGTERM; returns the process exit code.
int run_echo_endpoint(uint16_t port);

}  // namespace backbeat::runtime
