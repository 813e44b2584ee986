#include "storage/indexes.hpp"

#include <vector>

namespace backbeat::storage::index {
namespace {

enum class Tag : uint8_t {
  workflows = 0x01,
  workflow_names = 0x02,
  workflow_status = 0x03,
  workflow_past = 0x04,
  workflow_times = 0x05,
  workflow_times_to = 0x06,
  nodes = 0x11,
  node_names = 0x12,
  node_status = 0x13,
  node_past = 0x14,
};

constexpr uint64_t kSignBit = uint64_t{1} << 63;

void put_u64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

uint64_t get_u64(std::string_view in) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

void put_uuid(std::string& out, const Uuid& id) {
  auto b = id.bytes();
  out.append(reinterpret_cast<const char*>(b.data()), b.size());
}

std::string start(Tag tag, const Uuid& id) {
  std::string out(1, static_cast<char>(tag));
  put_uuid(out, id);
  return out;
}

std::string with_text(Tag tag, const Uuid& id, std::string_view text) {
  std::string out = start(tag, id);
  append_text(out, text);
  return out;
}

std::string with_status(Tag tag, const Uuid& user, StatusType type, std::string_view status) {
  std::string out = start(tag, user);
  out.push_back(static_cast<char>(type));
  append_text(out, status);
  return out;
}

std::string row_suffix(const StatusChange& sc) {
  std::string out = time_key(sc.created_at);
  put_uuid(out, sc.node_id);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(sc.index >> shift));
  return out;
}

std::string id_bytes(const Uuid& id) {
  std::string out;
  put_uuid(out, id);
  return out;
}

std::string_view status_text(const Node& n, StatusType type) {
  return type == StatusType::server ? to_string(n.server_status) : to_string(n.client_status);
}

}  // namespace

std::string order_key(Millis created_at, const Uuid& id) {
  std::string out;
  out.reserve(kOrderKeySize);
  put_u64(out, ~(static_cast<uint64_t>(created_at) ^ kSignBit));
  put_u64(out, ~id.hi);
  put_u64(out, ~id.lo);
  return out;
}

std::optional<Uuid> id_of(std::string_view key) {
  if (key.size() < kOrderKeySize) return std::nullopt;
  return Uuid{~get_u64(key.substr(8)), ~get_u64(key.substr(16))};
}

std::string time_key(Millis t) {
  std::string out;
  put_u64(out, static_cast<uint64_t>(t) ^ kSignBit);
  return out;
}

std::optional<Millis> time_of(std::string_view key) {
  if (key.size() < 8) return std::nullopt;
  return static_cast<Millis>(get_u64(key) ^ kSignBit);
}

void append_text(std::string& out, std::string_view text) {
  for (char c : text) {
    out.push_back(c);
    if (c == '\0') out.push_back('\xFF');
  }
  out.push_back('\0');
  out.push_back('\x01');
}

std::optional<std::string> read_text(std::string_view& in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\0') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 1 >= in.size()) return std::nullopt;
    if (in[i + 1] == '\x01') {
      in.remove_prefix(i + 2);
      return out;
    }
    if (in[i + 1] != '\xFF') return std::nullopt;
    out.push_back('\0');
    ++i;
  }
  return std::nullopt;
}

std::string workflows(const Uuid& user) { return start(Tag::workflows, user); }
std::string workflow_names(const Uuid& user) { return start(Tag::workflow_names, user); }
std::string workflows_named(const Uuid& user, std::string_view name) {
  return with_text(Tag::workflow_names, user, name);
}
std::string workflows_in_status(const Uuid& user, StatusType type, std::string_view status) {
  return with_status(Tag::workflow_status, user, type, status);
}
std::string workflows_ever_in(const Uuid& user, std::string_view status) {
  return with_text(Tag::workflow_past, user, status);
}
std::string workflow_times(const Uuid& wf) { return start(Tag::workflow_times, wf); }
std::string workflow_times_to(const Uuid& wf, std::string_view to_status) {
  return with_text(Tag::workflow_times_to, wf, to_status);
}
std::string nodes(const Uuid& user) { return start(Tag::nodes, user); }
std::string nodes_named(const Uuid& user, std::string_view name) {
  return with_text(Tag::node_names, user, name);
}
std::string nodes_in_status(const Uuid& user, StatusType type, std::string_view status) {
  return with_status(Tag::node_status, user, type, status);
}
std::string nodes_ever_in(const Uuid& user, std::string_view status) {
  return with_text(Tag::node_past, user, status);
}

void index_workflow(WriteSet& w, const Workflow& wf) {
  const std::string order = order_key(wf.created_at, wf.id);
  w.put_index(workflows(wf.user_id) + order);
  w.put_index(workflows_named(wf.user_id, wf.name) + order);
}

// Current status. Every status move writes a row (contract §3.6), and rows
// chain: the first row of a type starts from the status the index holds for
// that type, the last ends at the node's status now. So deleting every
// status a row of this apply mentions, except the one the node has now, and
// putting the one it has now, moves the entry whatever the path (including
// A -> B -> A in one apply). Puts and deletes are idempotent, so the
// workflow-level "has some node in status X" needs no counter: it is one
// entry per (workflow, node), and a workflow matches while any is left.
//
// A node with no row before this apply (status_change_count equals its rows
// here) is new, or has sat in its initial statuses since it was created; its
// fixed entries and initial statuses are put then, again harmlessly in the
// second case. This covers nodes born ready/ready or with statuses given in
// a decision, which write no row at all. Nodes that changed without a status
// move (links, callback flags) cost no index write.
void index_nodes(WriteSet& w, const Workflow& wf, std::span<const Node* const> changed,
                 std::span<const StatusChange> rows) {
  const std::string wf_order = order_key(wf.created_at, wf.id);
  for (const Node* n : changed) {
    std::vector<const StatusChange*> mine;
    for (const StatusChange& sc : rows)
      if (sc.node_id == n->id) mine.push_back(&sc);
    const std::string order = order_key(n->created_at, n->id);
    const std::string wf_id = id_bytes(wf.id);
    const std::string node_id = id_bytes(n->id);
    const bool fresh = n->status_change_count == mine.size();
    if (fresh) {
      w.put_index(nodes(n->user_id) + order, wf_id);
      w.put_index(nodes_named(n->user_id, n->name) + order, wf_id);
    }
    if (!fresh && mine.empty()) continue;
    for (StatusType type : {StatusType::server, StatusType::client}) {
      const std::string_view now = status_text(*n, type);
      for (const StatusChange* sc : mine) {
        if (sc->type != type) continue;
        for (const std::string& old : {sc->from_status, sc->to_status}) {
          if (old == now) continue;
          w.erase_index(nodes_in_status(n->user_id, type, old) + order);
          w.erase_index(workflows_in_status(wf.user_id, type, old) + wf_order + node_id);
        }
      }
      w.put_index(nodes_in_status(n->user_id, type, now) + order, wf_id);
      w.put_index(workflows_in_status(wf.user_id, type, now) + wf_order + node_id);
    }
    // Past statuses only ever grow (status changes are append-only).
    for (const StatusChange* sc : mine) {
      w.put_index(nodes_ever_in(n->user_id, sc->to_status) + order, wf_id);
      w.put_index(workflows_ever_in(wf.user_id, sc->to_status) + wf_order);
      const std::string row = row_suffix(*sc);
      w.put_index(workflow_times(wf.id) + row);
      w.put_index(workflow_times_to(wf.id, sc->to_status) + row);
    }
  }
}

}  // namespace backbeat::storage::index
