// The one table from error kinds to what a client is told.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

#include "net/contract/error_body.hpp"

using backbeat::Error;
using backbeat::make_error;
namespace contract = backbeat::contract;

namespace {

// Every kind, first to last (engine/error.hpp keeps them in one enum).
std::vector<Error::Kind> all_kinds() {
  std::vector<Error::Kind> kinds;
  for (int k = int(Error::Kind::bad_request); k <= int(Error::Kind::server_stopped); ++k)
    kinds.push_back(Error::Kind(k));
  return kinds;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(error_body)

BOOST_AUTO_TEST_CASE(every_kind_has_a_class_and_a_status_of_its_group) {
  const std::set<int> statuses = {400, 401, 403, 404, 409, 413, 429, 500, 503, 504};
  for (Error::Kind kind : all_kinds()) {
    const auto wire = contract::wire_error(kind);
    BOOST_TEST(!wire.error_class.empty(), "kind " << int(kind));
    BOOST_TEST(statuses.count(wire.status) == 1, "kind " << int(kind) << ": " << wire.status);
    // Transient kinds are exactly those a client is told to come back for.
    BOOST_TEST(backbeat::transient(kind) == (wire.status >= 429),
               "kind " << int(kind) << ": " << wire.error_class);
  }
}

BOOST_AUTO_TEST_CASE(the_answer_carries_status_details_and_retry_after_when_it_helps) {
  Error busy = make_error(Error::Kind::workflow_busy, "too many requests in flight");
  auto r = contract::error_response(busy);
  BOOST_TEST(r.status == 503);
  BOOST_TEST(r.header("Retry-After") == "1");
  BOOST_TEST(r.body ==
             R"({"errorClass":"Backbeat::WorkflowBusy","message":"too many requests in flight"})");

  Error quota = make_error(Error::Kind::user_quota, "you have 10 requests in flight");
  BOOST_TEST(contract::error_response(quota).status == 429);
  BOOST_TEST(contract::error_response(quota).header("Retry-After") == "1");

  Error illegal = make_error(Error::Kind::invalid_server_status_change, "Cannot transition");
  illegal.details = {{"current_status", "complete"}, {"attempted_status", "ready"}};
  r = contract::error_response(illegal);
  BOOST_TEST(r.status == 409);
  BOOST_TEST(r.header("Retry-After").empty());
  BOOST_TEST(r.body ==
             R"({"errorClass":"Backbeat::InvalidServerStatusChange","message":"Cannot transition",)"
             R"("currentStatus":"complete","attemptedStatus":"ready"})");
}

BOOST_AUTO_TEST_CASE(the_same_class_may_carry_different_statuses_by_kind) {
  // The original answered QuotaExceeded with whatever status fit the case.
  BOOST_TEST(contract::wire_error(Error::Kind::workflow_node_quota).status == 409);
  BOOST_TEST(contract::wire_error(Error::Kind::decision_quota).status == 413);
  BOOST_TEST(contract::wire_error(Error::Kind::user_quota).status == 429);
  for (auto kind :
       {Error::Kind::workflow_node_quota, Error::Kind::decision_quota, Error::Kind::user_quota})
    BOOST_TEST(contract::wire_error(kind).error_class == "Backbeat::QuotaExceeded");
}

BOOST_AUTO_TEST_CASE(transport_answers_use_the_original_class_names) {
  using backbeat::net::TransportError;
  BOOST_TEST(contract::transport_error_body(TransportError::malformed, "bad") ==
             R"({"errorClass":"BadRequest","message":"bad"})");
  BOOST_TEST(contract::transport_error_body(TransportError::too_many_from_address, "x") ==
             R"({"errorClass":"Backbeat::TooManyConnections","message":"x"})");
}

BOOST_AUTO_TEST_SUITE_END()
