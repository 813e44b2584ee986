#include "storage/write_set.hpp"

#include <iterator>
#include <set>
#include <string_view>
#include <utility>

#include "storage/codec.hpp"
#include "storage/keys.hpp"

namespace backbeat::storage {

template <class T>
void WriteSet::put_record(Family family, std::string key, const T& record) {
  auto bytes = encode(record);
  if (!bytes) {
    if (!error_) error_ = bytes.error();
    return;
  }
  put(family, std::move(key), std::move(bytes).value());
}

void WriteSet::put(Family family, std::string key, std::string value) {
  bytes_ += key.size() + value.size();
  ops_.push_back(WriteOp{family, false, std::move(key), std::move(value)});
}

void WriteSet::erase(Family family, std::string key) {
  bytes_ += key.size();
  ops_.push_back(WriteOp{family, true, std::move(key), {}});
}

void WriteSet::put_user(const User& user) {
  put_record(Family::users, keys::user(user.id), user);
}

void WriteSet::put_workflow(const Workflow& workflow) {
  put_record(Family::workflows, keys::workflow(workflow.id), workflow);
}

void WriteSet::put_node(const Node& node) {
  put_record(Family::nodes, keys::node(node.workflow_id, node.id), node);
}

void WriteSet::put_new_node(const Node& node) {
  put_node(node);
  put(Family::node_index, keys::node_index(node.id),
      keys::node_location(NodeLocation{node.workflow_id, node.user_id}));
}

void WriteSet::add_status_change(const Uuid& workflow_id, const StatusChange& change) {
  put_record(Family::status_changes,
             keys::status_change(workflow_id, change.node_id, change.index), change);
}

void WriteSet::set_timer(const Timer& timer) { put(Family::timers, keys::timer(timer), {}); }
void WriteSet::clear_timer(const Timer& timer) { erase(Family::timers, keys::timer(timer)); }

void WriteSet::set_inflight(const Uuid& workflow_id, const Uuid& node_id) {
  put(Family::inflight, keys::inflight(workflow_id, node_id), {});
}

void WriteSet::clear_inflight(const Uuid& workflow_id, const Uuid& node_id) {
  erase(Family::inflight, keys::inflight(workflow_id, node_id));
}

void WriteSet::put_outbox(const OutboxEntry& entry) {
  put_record(Family::outbox, keys::outbox(entry.id), entry);
}

void WriteSet::delete_outbox(const Uuid& entry_id) { erase(Family::outbox, keys::outbox(entry_id)); }

void WriteSet::put_meta(const std::string& key, const std::string& value) {
  put(Family::meta, key, value);
}

void WriteSet::put_index(std::string key, std::string value) {
  put(Family::search, std::move(key), std::move(value));
}

void WriteSet::erase_index(std::string key) { erase(Family::search, std::move(key)); }

void WriteSet::erase_keys_of(const WriteSet& other) {
  std::set<std::pair<Family, std::string_view>> seen;
  for (const WriteOp& op : other.ops())
    if (seen.emplace(op.family, op.key).second) erase(op.family, op.key);
}

void WriteSet::append(WriteSet&& other) {
  ops_.insert(ops_.end(), std::make_move_iterator(other.ops_.begin()),
              std::make_move_iterator(other.ops_.end()));
  bytes_ += other.bytes_;
  if (!error_) error_ = std::move(other.error_);
  other = WriteSet();
}

}  // namespace backbeat::storage
