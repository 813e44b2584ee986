#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "runtime/secrets_on_disk.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::runtime::test {
namespace {

namespace fs = std::filesystem;

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  BOOST_REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

BOOST_AUTO_TEST_SUITE(secrets_on_disk)

BOOST_AUTO_TEST_CASE(the_environment_wins_and_nothing_is_written) {
  backbeat::test::TempDir dir;
  auto t = admin_token("secret-from-env", dir.str());
  BOOST_REQUIRE(t.ok());
  BOOST_TEST(t->value == "secret-from-env");
  BOOST_TEST(t->source == "BACKBEAT_ADMIN_TOKEN");
  BOOST_TEST(!fs::exists(dir.path() / kAdminTokenFile));
}

BOOST_AUTO_TEST_CASE(a_generated_token_is_kept_0600_and_reused) {
  backbeat::test::TempDir dir;
  auto a = admin_token(nullptr, dir.str());
  BOOST_REQUIRE(a.ok());
  const fs::path file = dir.path() / kAdminTokenFile;
  BOOST_TEST(a->source == file.string());
  BOOST_TEST(a->value.size() == 32u);
  BOOST_TEST(a->value.find_first_not_of("0123456789abcdef") == std::string::npos);
  BOOST_TEST(mode_of(file) == 0600u);
  auto again = admin_token("", dir.str());  // empty counts as unset
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(again->value == a->value);

  backbeat::test::TempDir other;
  auto b = admin_token(nullptr, other.str());
  BOOST_REQUIRE(b.ok());
  BOOST_TEST(b->value != a->value);
}

BOOST_AUTO_TEST_CASE(a_file_without_a_token_stops_the_start) {
  backbeat::test::TempDir dir;
  std::ofstream(dir.path() / kAdminTokenFile) << "short\n";
  auto t = admin_token(nullptr, dir.str());
  BOOST_REQUIRE(!t.ok());
  BOOST_TEST(t.error().message.find("holds no admin token") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_data_dir_is_made_private_and_an_old_one_is_closed) {
  backbeat::test::TempDir root;
  const fs::path fresh = root.path() / "fresh" / "data";
  BOOST_REQUIRE(secure_data_dir(fresh.string()).ok());
  BOOST_TEST(mode_of(fresh) == 0700u);

  // What older builds left: 0755 folders, 0644 files.
  const fs::path old = root.path() / "old";
  fs::create_directories(old / "sub");
  std::ofstream(old / "000004.log") << "x";
  std::ofstream(old / "sub" / "f") << "y";
  for (const fs::path& p : {old, old / "sub"}) ::chmod(p.c_str(), 0755);
  for (const fs::path& p : {old / "000004.log", old / "sub" / "f"}) ::chmod(p.c_str(), 0644);
  BOOST_REQUIRE(secure_data_dir(old.string()).ok());
  BOOST_TEST(mode_of(old) == 0700u);
  BOOST_TEST(mode_of(old / "sub") == 0700u);
  BOOST_TEST(mode_of(old / "000004.log") == 0600u);
  BOOST_TEST(mode_of(old / "sub" / "f") == 0600u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace backbeat::runtime::test
