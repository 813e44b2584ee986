// The one log line format: what an operator reads (text) and what a log
// shipper parses (JSON lines), whatever bytes a message carries.
#include <boost/test/unit_test.hpp>

#include <string>

#include "engine/log.hpp"

namespace backbeat::log {
namespace {

constexpr long long kNoon = 1'765'195'323'456;  // 2025-12-08T12:02:03.456Z

std::string text(Level level, std::string_view msg, std::string_view tid = {}) {
  return format_line(Format::text, level, "cluster", msg, tid, kNoon);
}

std::string json(std::string_view msg, std::string_view tid = {}) {
  return format_line(Format::json, Level::warning, "api", msg, tid, kNoon);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(log_lines)

BOOST_AUTO_TEST_CASE(text_names_the_component_and_any_level_but_info) {
  BOOST_TEST(text(Level::info, "member n3 is up") == "[cluster] member n3 is up");
  BOOST_TEST(text(Level::warning, "move refused") == "[cluster] warning: move refused");
  BOOST_TEST(text(Level::error, "cannot persist") == "[cluster] error: cannot persist");
  BOOST_TEST(text(Level::error, "answered 500", "a1b2c3d") ==
             "[cluster] error: answered 500 (tid a1b2c3d)");
}

// A message with a client's text in it must not forge a line of its own.
BOOST_AUTO_TEST_CASE(text_escapes_control_characters_so_a_call_is_one_line) {
  const std::string forged = text(Level::warning, "bad input\n[cluster] member n9 is up\r\x1b[2J");
  BOOST_TEST(forged.find('\n') == std::string::npos);
  BOOST_TEST(forged == "[cluster] warning: bad input\\n[cluster] member n9 is up\\r\\x1b[2J");
  BOOST_TEST(text(Level::info, "a\tb") == "[cluster] a\tb");
}

BOOST_AUTO_TEST_CASE(json_is_one_object_with_time_level_component_message_and_tid) {
  BOOST_TEST(json("answered 500", "a1b2c3d") ==
             R"({"ts":"2025-12-08T12:02:03.456Z","level":"warning","component":"api",)"
             R"("msg":"answered 500","tid":"a1b2c3d"})");
  BOOST_TEST(json("no request").find("\"tid\"") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_escapes_what_would_break_the_line) {
  BOOST_TEST(json("a \"quoted\" \\ path") ==
             R"({"ts":"2025-12-08T12:02:03.456Z","level":"warning","component":"api",)"
             R"("msg":"a \"quoted\" \\ path"})");
  // A newline in a message must not start a second record.
  BOOST_TEST(json("one\ntwo\r\t\x01").find(R"("msg":"one\u000atwo\u000d\u0009\u0001")") !=
             std::string::npos);
  BOOST_TEST(json("one\ntwo").find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_keeps_utf8_and_replaces_bytes_that_are_not) {
  BOOST_TEST(json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80").find("caf\xc3\xa9 \xe2\x82\xac "
                                                                     "\xf0\x9f\x98\x80") !=
             std::string::npos);
  // A lone continuation byte, a truncated sequence, an overlong '/' and a
  // surrogate: each byte that starts no valid sequence becomes U+FFFD.
  BOOST_TEST(json("\x80").find(R"("msg":"\ufffd")") != std::string::npos);
  BOOST_TEST(json("\xe2\x82").find(R"("msg":"\ufffd\ufffd")") != std::string::npos);
  BOOST_TEST(json("\xc0\xaf").find(R"("msg":"\ufffd\ufffd")") != std::string::npos);
  BOOST_TEST(json("\xed\xa0\x80").find(R"("msg":"\ufffd\ufffd\ufffd")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(levels_and_formats_parse_by_name_only) {
  BOOST_TEST((parse_level("debug") == Level::debug));
  BOOST_TEST((parse_level("error") == Level::error));
  BOOST_TEST(!parse_level("warn"));
  BOOST_TEST(!parse_level("INFO"));
  BOOST_TEST((parse_format("json") == Format::json));
  BOOST_TEST(!parse_format("yaml"));
  for (Level l : {Level::debug, Level::info, Level::warning, Level::error})
    BOOST_TEST((parse_level(level_name(l)) == l));
}

BOOST_AUTO_TEST_CASE(lines_below_the_level_are_not_written) {
  configure(Level::warning, Format::text);
  BOOST_TEST(!enabled(Level::info));
  BOOST_TEST(enabled(Level::warning));
  BOOST_TEST(enabled(Level::error));
  configure(Level::info, Format::text);
  BOOST_TEST(enabled(Level::info));
  BOOST_TEST(!enabled(Level::debug));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::log
