// A link update on the wire (runtime/cluster/wire.hpp): an outbox record of
// kind link survives the trip to its target's owner and back into a record,
// through CAF's own serialisation as the agents use it.
#include <boost/test/unit_test.hpp>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

#include "runtime/cluster/wire.hpp"

namespace backbeat::cluster {

BOOST_AUTO_TEST_SUITE(wire_link)

BOOST_AUTO_TEST_CASE(a_link_record_round_trips_through_the_wire) {
  storage::OutboxEntry entry;
  entry.kind = storage::OutboxEntry::Kind::link;
  entry.id = Uuid{0x11, 0x22};
  entry.target_node = Uuid{0x33, 0x44};
  entry.link_node = Uuid{0x55, 0x66};
  entry.finished = true;

  WireLink wire = to_wire(entry);
  std::vector<char> bytes;
  caf::binary_serializer sink{nullptr, bytes};
  BOOST_TEST_REQUIRE(!sink(wire));
  WireLink read;
  caf::binary_deserializer source{nullptr, bytes};
  BOOST_TEST_REQUIRE(!source(read));

  const storage::OutboxEntry back = from_wire(read);
  BOOST_TEST((back.kind == storage::OutboxEntry::Kind::link));
  BOOST_TEST(back.id.str() == entry.id.str());
  BOOST_TEST(back.target_node.str() == entry.target_node.str());
  BOOST_TEST(back.link_node.str() == entry.link_node.str());
  BOOST_TEST(back.finished);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::cluster
