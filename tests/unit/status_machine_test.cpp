// The two transition tables of docs/contract.md §5.1 and §5.2, checked for
// every (from, to) pair. The expected tables are transcribed from the contract,
// not from the code.
#include <map>
#include <set>
#include <sstream>

#include "tests/unit/engine_fixture.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::engine::test {
namespace {

using Table = std::map<std::string, std::set<std::string>>;

// docs/contract.md §5.1, row by row.
const Table kClientTable = {
    {"pending", {"ready", "errored"}},
    {"ready", {"received", "errored"}},
    {"received", {"processing", "complete", "errored"}},
    {"processing", {"complete", "errored"}},
    {"errored", {"ready", "errored", "resolved", "shutdown"}},
    {"complete", {"complete"}},
    {"resolved", {}},
    {"shutdown", {}},
};

// docs/contract.md §5.2, row by row.
const Table kServerTable = {
    {"pending", {"ready", "deactivated", "errored"}},
    {"ready", {"started", "deactivated", "errored"}},
    {"started", {"sent_to_client", "paused", "deactivated", "errored"}},
    {"sent_to_client",
     {"processing_children", "retrying", "retries_exhausted", "deactivated", "errored"}},
    {"processing_children", {"complete", "deactivated", "errored"}},
    {"complete", {"deactivated"}},
    {"paused", {"started", "deactivated", "errored"}},
    {"errored", {"ready", "deactivated", "errored"}},
    {"retrying", {"ready", "deactivated", "errored"}},
    {"retries_exhausted", {"ready", "deactivated", "errored", "processing_children"}},
    {"deactivated", {"deactivated"}},
};

bool expected(const Table& table, std::string_view from, std::string_view to) {
  const auto row = table.find(std::string(from));
  BOOST_TEST_REQUIRE((row != table.end()), "status " << from << " missing from the contract table");
  return row->second.count(std::string(to)) > 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(status_machine)

BOOST_AUTO_TEST_CASE(tables_cover_every_status_name) {
  BOOST_TEST(kClientTable.size() == size_t(kClientStatusCount));
  BOOST_TEST(kServerTable.size() == size_t(kServerStatusCount));
  for (int i = 0; i < kClientStatusCount; ++i)
    BOOST_TEST(kClientTable.count(std::string(to_string(C(i)))) == 1u);
  for (int i = 0; i < kServerStatusCount; ++i)
    BOOST_TEST(kServerTable.count(std::string(to_string(S(i)))) == 1u);
}

BOOST_AUTO_TEST_CASE(client_transitions_match_contract_5_1) {
  int allowed = 0;
  for (int f = 0; f < kClientStatusCount; ++f)
    for (int t = 0; t < kClientStatusCount; ++t) {
      const C from = C(f), to = C(t);
      const bool want = expected(kClientTable, to_string(from), to_string(to));
      BOOST_TEST(client_transition_allowed(from, to) == want,
                 "client " << to_string(from) << " -> " << to_string(to));
      allowed += want;
    }
  BOOST_TEST(allowed == 14);  // 64 pairs, 14 edges in docs/contract.md §5.1
}

BOOST_AUTO_TEST_CASE(server_transitions_match_contract_5_2) {
  int allowed = 0;
  for (int f = 0; f < kServerStatusCount; ++f)
    for (int t = 0; t < kServerStatusCount; ++t) {
      const S from = S(f), to = S(t);
      const bool want = expected(kServerTable, to_string(from), to_string(to));
      BOOST_TEST(server_transition_allowed(from, to) == want,
                 "server " << to_string(from) << " -> " << to_string(to));
      allowed += want;
    }
  BOOST_TEST(allowed == 33);  // 121 pairs, 33 edges in docs/contract.md §5.2
}

BOOST_AUTO_TEST_CASE(client_error_object_for_every_illegal_pair) {
  for (int f = 0; f < kClientStatusCount; ++f)
    for (int t = 0; t < kClientStatusCount; ++t) {
      if (client_transition_allowed(C(f), C(t))) continue;
      BOOST_TEST_CONTEXT("client " << to_string(C(f)) << " -> " << to_string(C(t))) {
        check_transition_error(invalid_client_transition(C(f), C(t)), false, to_string(C(f)),
                               to_string(C(t)));
      }
    }
}

BOOST_AUTO_TEST_CASE(server_error_object_is_409_with_the_same_shape) {
  // docs/contract.md §19: illegal server transitions are 409 (the original
  // answered 500).
  for (int f = 0; f < kServerStatusCount; ++f)
    for (int t = 0; t < kServerStatusCount; ++t) {
      if (server_transition_allowed(S(f), S(t))) continue;
      BOOST_TEST_CONTEXT("server " << to_string(S(f)) << " -> " << to_string(S(t))) {
        check_transition_error(invalid_server_transition(S(f), S(t)), true, to_string(S(f)),
                               to_string(S(t)));
      }
    }
}

BOOST_AUTO_TEST_CASE(error_message_spelled_out) {
  const Error e = invalid_client_transition(C::complete, C::ready);
  BOOST_TEST(e.message == "Cannot transition current_client_status from complete to ready");
  BOOST_TEST(backbeat::test::error_class(e) == "Backbeat::InvalidClientStatusChange");
  BOOST_TEST(e.detail("current_status") == "complete");
  BOOST_TEST(e.detail("attempted_status") == "ready");
  const Error s = invalid_server_transition(S::started, S::ready);
  BOOST_TEST(s.message == "Cannot transition current_server_status from started to ready");
  BOOST_TEST((backbeat::test::http_status(s) == 409));
}

BOOST_AUTO_TEST_CASE(status_names_round_trip) {
  for (int i = 0; i < kServerStatusCount; ++i)
    BOOST_TEST((parse_server_status(to_string(S(i))) == S(i)));
  for (int i = 0; i < kClientStatusCount; ++i)
    BOOST_TEST((parse_client_status(to_string(C(i))) == C(i)));
  for (Mode m : {Mode::blocking, Mode::non_blocking, Mode::fire_and_forget})
    BOOST_TEST((parse_mode(to_string(m)) == m));
  BOOST_TEST(!parse_server_status("recieved_from_client").has_value());
  BOOST_TEST(!parse_client_status("completed").has_value());
  BOOST_TEST(!parse_mode("async").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::engine::test
