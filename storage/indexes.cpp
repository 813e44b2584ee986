#include "storage/indexes.hpp"

#include <algorithm>
#include <vector>

namespace backbeat::storage::index {
namespace {

enum class Tag : uint8_t {
  workflows = 0x01,
  workflow_names = 0x02,
  workflow_status = 0x03,
  workflow_past = 0x04,
  // 0x05 and 0x06 held per-row workflow time indexes; the time filter now
  // reads the workflow's status changes instead. Never reuse them.
  completed = 0x07,  // retention's queue (index_completion)
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

std::optional<Millis> created_at_of(std::string_view key) {
  if (key.size() < kOrderKeySize) return std::nullopt;
  return static_cast<Millis>(~get_u64(key) ^ kSignBit);
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

std::string completed_workflows() { return std::string(1, static_cast<char>(Tag::completed)); }

std::string completed_suffix(Millis created_at, const Uuid& wf) {
  std::string out;
  out.reserve(kCompletedSuffixSize);
  put_u64(out, static_cast<uint64_t>(created_at) ^ kSignBit);
  put_uuid(out, wf);
  return out;
}

std::optional<std::pair<Millis, Uuid>> parse_completed(std::string_view suffix) {
  if (suffix.size() != kCompletedSuffixSize) return std::nullopt;
  return std::pair{static_cast<Millis>(get_u64(suffix) ^ kSignBit),
                   Uuid::from_bytes(suffix.data() + 8)};
}

void index_completion(WriteSet& w, const Workflow& wf) {
  if (wf.complete) w.put_index(completed_workflows() + completed_suffix(wf.created_at, wf.id));
}

void index_workflow(WriteSet& w, const Workflow& wf) {
  const std::string order = order_key(wf.created_at, wf.id);
  w.put_index(workflows(wf.user_id) + order);
  w.put_index(workflows_named(wf.user_id, wf.name) + order);
}

// Current status. Every status move writes a row (docs/contract.md §3.6), and
// rows chain: the first row of a type in this apply starts from the status the
// index holds for that type, the last ends at the node's status now. So the
// entry moves by deleting that one start status and putting the one the
// node has now, whatever the path between (A -> B -> A deletes nothing).
// The workflow-level "has some node in status X" needs no counter: it is one
// entry per (workflow, node), and a workflow matches while any is left.
//
// A node created in this apply gets its fixed entries and the statuses it
// was born with (a decision may give them, with no row). A node changed
// without a status move of some type (links, callback flags) costs no index
// write for that type.
void index_nodes(WriteSet& w, const Workflow& wf, std::span<const Node* const> changed,
                 std::span<const Uuid> created, std::span<const StatusChange> rows) {
  const std::string wf_order = order_key(wf.created_at, wf.id);
  const std::string wf_id = id_bytes(wf.id);
  for (const Node* n : changed) {
    const bool fresh = std::find(created.begin(), created.end(), n->id) != created.end();
    const std::string order = order_key(n->created_at, n->id);
    const std::string node_id = id_bytes(n->id);
    if (fresh) {
      w.put_index(nodes(n->user_id) + order, wf_id);
      w.put_index(nodes_named(n->user_id, n->name) + order, wf_id);
    }
    for (StatusType type : {StatusType::server, StatusType::client}) {
      auto first = std::find_if(rows.begin(), rows.end(), [&](const StatusChange& sc) {
        return sc.node_id == n->id && sc.type == type;
      });
      const bool moved = first != rows.end();
      if (!moved && !fresh) continue;
      const std::string_view now = status_text(*n, type);
      if (moved && !fresh) {
        if (first->from_status == now) continue;  // came back where it started
        w.erase_index(nodes_in_status(n->user_id, type, first->from_status) + order);
        w.erase_index(workflows_in_status(wf.user_id, type, first->from_status) + wf_order + node_id);
      }
      w.put_index(nodes_in_status(n->user_id, type, now) + order, wf_id);
      w.put_index(workflows_in_status(wf.user_id, type, now) + wf_order + node_id);
    }
  }
  // Past statuses only ever grow (status changes are append-only), and the
  // engine marks the rows that reach a word for the first time.
  for (const StatusChange& sc : rows) {
    if (!sc.first_for_node && !sc.first_for_workflow) continue;
    const Node* n = nullptr;
    for (const Node* c : changed)
      if (c->id == sc.node_id) n = c;
    if (!n) continue;  // a row is always of a changed node; be safe anyway
    if (sc.first_for_node)
      w.put_index(nodes_ever_in(n->user_id, sc.to_status) + order_key(n->created_at, n->id), wf_id);
    if (sc.first_for_workflow) w.put_index(workflows_ever_in(wf.user_id, sc.to_status) + wf_order);
  }
}

}  // namespace backbeat::storage::index
