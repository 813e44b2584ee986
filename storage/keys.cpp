#include "storage/keys.hpp"

#include <limits>

namespace backbeat::storage::keys {
namespace {

void put_uuid(std::string& out, const Uuid& id) {
  auto b = id.bytes();
  out.append(reinterpret_cast<const char*>(b.data()), b.size());
}

template <class U>
void put_be(std::string& out, U value) {
  for (int shift = 8 * (sizeof(U) - 1); shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>(static_cast<unsigned char>(value >> shift)));
  }
}

template <class U>
U get_be(std::string_view in) {
  U value = 0;
  for (size_t i = 0; i < sizeof(U); ++i) value = (value << 8) | static_cast<unsigned char>(in[i]);
  return value;
}

// Flipping the sign bit maps int64 onto uint64 preserving order, so a
// negative (pre-1970) due time still sorts first instead of last.
constexpr uint64_t kSignBit = uint64_t{1} << 63;
uint64_t ordered(Millis m) { return static_cast<uint64_t>(m) ^ kSignBit; }
Millis unordered(uint64_t u) { return static_cast<Millis>(u ^ kSignBit); }

std::string ids(std::initializer_list<Uuid> parts) {
  std::string out;
  out.reserve(parts.size() * kUuidSize);
  for (const Uuid& id : parts) put_uuid(out, id);
  return out;
}

constexpr size_t kTimerSize = sizeof(uint64_t) + 2 * kUuidSize + 1;
constexpr uint8_t kTimerKindCount = 3;

}  // namespace

std::string user(const Uuid& user_id) { return ids({user_id}); }
std::string workflow(const Uuid& workflow_id) { return ids({workflow_id}); }
std::string node(const Uuid& wf, const Uuid& node_id) { return ids({wf, node_id}); }
std::string node_prefix(const Uuid& wf) { return ids({wf}); }
std::string node_index(const Uuid& node_id) { return ids({node_id}); }

std::string node_location(const NodeLocation& loc) { return ids({loc.workflow_id, loc.user_id}); }

std::optional<NodeLocation> parse_node_location(std::string_view value) {
  if (value.size() != 2 * kUuidSize) return std::nullopt;
  return NodeLocation{Uuid::from_bytes(value.data()), Uuid::from_bytes(value.data() + kUuidSize)};
}

std::string status_change(const Uuid& wf, const Uuid& node_id, uint32_t index) {
  std::string out = ids({wf, node_id});
  put_be(out, index);
  return out;
}

std::string status_change_prefix(const Uuid& wf, const Uuid& node_id) { return ids({wf, node_id}); }

std::string timer(const Timer& t) {
  std::string out;
  out.reserve(kTimerSize);
  put_be(out, ordered(t.due));
  put_uuid(out, t.workflow_id);
  put_uuid(out, t.node_id);
  out.push_back(static_cast<char>(t.kind));
  return out;
}

std::optional<Timer> parse_timer(std::string_view key) {
  if (key.size() != kTimerSize) return std::nullopt;
  auto kind = static_cast<uint8_t>(key.back());
  if (kind >= kTimerKindCount) return std::nullopt;
  Timer t;
  t.due = unordered(get_be<uint64_t>(key));
  t.workflow_id = Uuid::from_bytes(key.data() + 8);
  t.node_id = Uuid::from_bytes(key.data() + 8 + kUuidSize);
  t.kind = static_cast<TimerKind>(kind);
  return t;
}

std::string timers_after(Millis until) {
  if (until == std::numeric_limits<Millis>::max()) return {};
  std::string out;
  put_be(out, ordered(until + 1));
  return out;
}

std::string inflight(const Uuid& wf, const Uuid& node_id) { return ids({wf, node_id}); }

std::optional<std::pair<Uuid, Uuid>> parse_inflight(std::string_view key) {
  if (key.size() != 2 * kUuidSize) return std::nullopt;
  return std::pair{Uuid::from_bytes(key.data()), Uuid::from_bytes(key.data() + kUuidSize)};
}

std::string outbox(const Uuid& entry_id) { return ids({entry_id}); }

std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(end.back());
    if (last != 0xFF) {
      ++last;
      return end;
    }
    end.pop_back();
  }
  return end;
}

}  // namespace backbeat::storage::keys
