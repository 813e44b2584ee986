// libFuzzer target: bytes as they might come back from disk. Corrupt or
// foreign bytes must decode to an Error, never a crash (storage/codec.hpp
// promises as much), and a record that does decode must survive everything
// done with it next: encoded again to the same bytes' meaning, and shown
// to a client through the presenters. The key parsers get the same bytes.
//
// Input: byte 0 chooses the record kind; the rest is the stored value.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "net/contract/json_presenters.hpp"
#include "net/contract/json_text.hpp"
#include "storage/codec.hpp"
#include "storage/keys.hpp"

namespace {

using namespace backbeat;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_record_decoding: %s\n", what.c_str());
  std::abort();
}

// decode(encode(r)) must give a record that encodes to the same bytes.
template <class T>
void round_trip(const T& record) {
  auto bytes = storage::encode(record);
  if (!bytes) return;  // over Cap'n Proto's limits: refused, which is fine
  auto again = storage::decode<T>(*bytes);
  if (!again) fail("a re-encoded record does not decode: " + again.error().message);
  auto bytes_again = storage::encode(*again);
  if (!bytes_again || *bytes_again != *bytes) fail("a record changed in a round trip");
}

void show(const contract::OrderedJson& j) { (void)contract::dump_json(j); }

// A record that decodes is re-encoded, then shown the ways clients see it.
template <class T, class Present>
void decode_as(std::string_view bytes, Present present) {
  const Result<T> decoded = storage::decode<T>(bytes);
  if (!decoded) return;
  round_trip(*decoded);
  present(*decoded);
}

Workflow some_workflow() {
  Workflow wf;
  wf.name = "wf";
  wf.subject = R"({"a":1})";
  return wf;
}

void records(std::string_view bytes, uint8_t kind) {
  switch (kind % 5) {
    case 0:
      return decode_as<User>(bytes, [](const User& u) { show(contract::present_user(u, "token")); });
    case 1:
      return decode_as<Workflow>(bytes, [](const Workflow& wf) {
        show(contract::present_workflow(wf));
        show(contract::present_tree(wf, {}));
      });
    case 2:
      return decode_as<Node>(bytes, [](const Node& n) {
        const Workflow wf = some_workflow();
        show(contract::present_node(n, wf));
        show(contract::callback_body(n, wf, true));
        show(contract::notification_body(n, wf, "message", nlohmann::json{{"e", 1}}));
        show(contract::present_tree(wf, {n}));
        show(contract::present_tree_print(wf, {n}));
      });
    case 3:
      return decode_as<StatusChange>(
          bytes, [](const StatusChange& sc) { show(contract::present_status_change(sc)); });
    case 4:
      return decode_as<storage::OutboxEntry>(bytes, [](const storage::OutboxEntry&) {});
  }
}

void keys(std::string_view bytes) {
  if (auto loc = storage::keys::parse_node_location(bytes))
    if (storage::keys::parse_node_location(storage::keys::node_location(*loc)) != loc)
      fail("node location round trip");
  if (auto timer = storage::keys::parse_timer(bytes))
    if (storage::keys::parse_timer(storage::keys::timer(*timer)) != timer) fail("timer key round trip");
  (void)storage::keys::parse_inflight(bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  records(bytes, data[0]);
  keys(bytes);
  return 0;
}
