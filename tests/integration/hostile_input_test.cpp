// Input meant to hurt: the server answers it with a clear error and stays
// up. The byte-level cases (HTTP framing, JSON, forms, stored records) are
// the fuzz corpora in tests/fuzz/corpus/, replayed by CTest; these are the
// ones that once took the server down, end to end against the real binary.
#include <boost/test/unit_test.hpp>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;

BOOST_AUTO_TEST_SUITE(hostile_input)

// A lookup also tries a string subject as JSON (docs/contract.md §19). That
// JSON had no depth limit, and normalising and dumping it recursed once per
// level: 50,000 levels (100 KB of brackets, well under the body limit)
// overflowed the HTTP thread's stack and killed the node.
BOOST_AUTO_TEST_CASE(a_deeply_nested_subject_in_a_lookup_is_only_not_found) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "deep");
  const size_t depth = 200000;
  const std::string body = "workflow_type=wf&decider=D&subject=" + std::string(depth, '[') +
                           std::string(depth, ']');
  auto r = server.request("GET", "/workflows", body,
                          {{"Client-Id", client.id()},
                           {"Authorization", "Token token=\"" + client.token() + "\""},
                           {"Content-Type", "application/x-www-form-urlencoded"}});
  BOOST_TEST(r.status == 404, r.body);
  BOOST_TEST(r.json()["errorClass"] == "ActiveRecord::RecordNotFound");
  BOOST_TEST(server.request("GET", "/health").status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
