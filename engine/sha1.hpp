#pragma once
// SHA-1, only for name-based ids (RFC 4122 version 5); not for security.
#include <array>
#include <cstdint>
#include <string_view>

namespace backbeat {
std::array<uint8_t, 20> sha1(std::string_view data);
}
