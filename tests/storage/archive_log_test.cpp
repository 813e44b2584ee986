// Retention's archive files: one JSON line per workflow, appended to the
// file of the UTC day, created (with its directory) on first use.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "storage/archive_log.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::storage::test {
namespace {

constexpr Millis kMay1 = 1'714'521'600'000;  // 2024-05-01T00:00:00Z
constexpr Millis kDay = 86'400'000;

std::vector<std::string> lines_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(archive_log)

BOOST_AUTO_TEST_CASE(lines_go_to_the_file_of_their_utc_day) {
  backbeat::test::TempDir dir("backbeat-archive");
  const std::string where = dir.str() + "/nested/archive";  // made on first use
  ArchiveLog log(where);
  const std::vector<std::string> first{R"({"n":1})", R"({"n":2})"};
  BOOST_REQUIRE(log.append(first, kMay1 + 5).ok());
  BOOST_REQUIRE(log.append(std::vector<std::string>{R"({"n":3})"}, kMay1 + kDay - 1).ok());
  BOOST_REQUIRE(log.append(std::vector<std::string>{R"({"n":4})"}, kMay1 + kDay).ok());
  BOOST_REQUIRE(log.append(std::vector<std::string>{}, kMay1 + kDay).ok());

  BOOST_TEST(ArchiveLog::file_name(kMay1) == "workflows-2024-05-01.jsonl");
  const auto day1 = lines_of(std::filesystem::path(where) / "workflows-2024-05-01.jsonl");
  const auto day2 = lines_of(std::filesystem::path(where) / "workflows-2024-05-02.jsonl");
  BOOST_TEST((day1 == std::vector<std::string>{R"({"n":1})", R"({"n":2})", R"({"n":3})"}));
  BOOST_TEST((day2 == std::vector<std::string>{R"({"n":4})"}));
}

BOOST_AUTO_TEST_CASE(a_reopened_log_appends_after_what_is_there) {
  backbeat::test::TempDir dir("backbeat-archive");
  {
    ArchiveLog log(dir.str());
    BOOST_REQUIRE(log.append(std::vector<std::string>{"a"}, kMay1).ok());
  }
  ArchiveLog again(dir.str());
  BOOST_REQUIRE(again.append(std::vector<std::string>{"b"}, kMay1).ok());
  BOOST_TEST(
      (lines_of(dir.path() / ArchiveLog::file_name(kMay1)) == std::vector<std::string>{"a", "b"}));
}

BOOST_AUTO_TEST_CASE(a_line_torn_by_a_crash_is_cut_off_before_the_next_append) {
  backbeat::test::TempDir dir("backbeat-archive");
  std::ofstream(dir.path() / ArchiveLog::file_name(kMay1)) << "{\"whole\":1}\n{\"torn\":";
  ArchiveLog log(dir.str());
  BOOST_REQUIRE(log.append(std::vector<std::string>{R"({"next":2})"}, kMay1).ok());
  BOOST_TEST((lines_of(dir.path() / ArchiveLog::file_name(kMay1)) ==
              std::vector<std::string>{R"({"whole":1})", R"({"next":2})"}));
}

BOOST_AUTO_TEST_CASE(an_unwritable_place_is_an_error_not_a_crash) {
  backbeat::test::TempDir dir("backbeat-archive");
  const std::string file = dir.str() + "/not-a-dir";
  std::ofstream(file) << "x";
  ArchiveLog log(file + "/archive");
  auto s = log.append(std::vector<std::string>{"a"}, kMay1);
  BOOST_REQUIRE(!s.ok());
  BOOST_TEST(s.error().message.find("archive") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::storage::test
