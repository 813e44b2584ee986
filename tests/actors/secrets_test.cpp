// Token sealing and randomness (actors/secrets.hpp), against published
// vectors: a hand-built HMAC must agree with RFC 4231 to the bit.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include "actors/secrets.hpp"
#include "actors/services.hpp"

namespace backbeat::actors::test {
namespace {

std::string unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(char(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::string as_string(const Digest& d) { return std::string(reinterpret_cast<const char*>(d.data()), d.size()); }

}  // namespace

BOOST_AUTO_TEST_SUITE(secrets)

BOOST_AUTO_TEST_CASE(digests_match_the_published_vectors) {
  BOOST_TEST(as_string(sha256("abc")) ==
             unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  // RFC 4231, test cases 1 and 2.
  BOOST_TEST(token_matches(std::string(20, '\x0b'),
                           unhex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
                           "Hi There"));
  BOOST_TEST(token_matches("Jefe",
                           unhex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                           "what do ya want for nothing?"));
}

BOOST_AUTO_TEST_CASE(a_sealed_token_matches_itself_only) {
  const TokenSeal seal = seal_token("MdAKvURuIXUGFqEbt0H61w");
  BOOST_TEST(seal.key.size() == 32u);
  BOOST_TEST(seal.digest.size() == 32u);
  BOOST_TEST(seal.digest.find("MdAKvURuIXUGFqEbt0H61w") == std::string::npos);
  BOOST_TEST(token_matches(seal.key, seal.digest, "MdAKvURuIXUGFqEbt0H61w"));
  for (const char* wrong : {"", "MdAKvURuIXUGFqEbt0H61", "MdAKvURuIXUGFqEbt0H61w ", "mdakvuruixugfqebt0h61w"})
    BOOST_TEST(!token_matches(seal.key, seal.digest, wrong), wrong);
  // An empty or torn seal matches nothing, not even the empty token.
  BOOST_TEST(!token_matches("", seal.digest, "MdAKvURuIXUGFqEbt0H61w"));
  BOOST_TEST(!token_matches(seal.key, seal.digest.substr(1), "MdAKvURuIXUGFqEbt0H61w"));
  // The same token sealed twice gives two seals.
  BOOST_TEST(seal_token("MdAKvURuIXUGFqEbt0H61w").digest != seal.digest);
}

BOOST_AUTO_TEST_CASE(tokens_and_ids_are_random_and_well_formed) {
  std::set<std::string> tokens;
  for (int i = 0; i < 200; ++i) {
    const std::string t = new_token();
    BOOST_TEST(t.size() == 22u);
    BOOST_TEST(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
               std::string::npos);
    tokens.insert(t);
  }
  BOOST_TEST(tokens.size() == 200u);
  RandomUuids ids;
  std::set<Uuid> seen;
  for (int i = 0; i < 2000; ++i) {  // past one refill of the per-thread pool
    const Uuid u = ids.next();
    BOOST_TEST(((u.hi >> 12) & 0xF) == 4u);    // version 4
    BOOST_TEST((u.lo >> 62) == 2u);            // RFC 4122 variant
    seen.insert(u);
  }
  BOOST_TEST(seen.size() == 2000u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::actors::test
