#include "storage/codec.hpp"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/array.h>
#include <kj/exception.h>

#include <algorithm>
#include <cstring>

#include "records.capnp.h"
#include "storage/errors.hpp"

namespace backbeat::storage {
namespace {

namespace s = ::backbeat::schema;

// ---- field helpers -------------------------------------------------------

void write_uuid(s::Uuid::Builder b, const Uuid& u) {
  b.setHi(u.hi);
  b.setLo(u.lo);
}

Uuid read_uuid(s::Uuid::Reader r) { return Uuid{r.getHi(), r.getLo()}; }

// c_str() guarantees the terminating NUL that kj::StringPtr requires, and the
// explicit size keeps embedded NULs (JSON may carry \u0000).
kj::StringPtr text(const std::string& s) { return kj::StringPtr(s.c_str(), s.size()); }

std::string read_text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

capnp::Data::Reader bytes(const std::string& s) {
  return capnp::Data::Reader(reinterpret_cast<const kj::byte*>(s.data()), s.size());
}

std::string read_bytes(capnp::Data::Reader d) {
  return std::string(reinterpret_cast<const char*>(d.begin()), d.size());
}

// Enums travel as UInt8; a value past the last enumerator means the bytes are
// not what we wrote.
constexpr int kModeCount = 3;        // status.hpp defines counts only for statuses
constexpr int kStatusTypeCount = 2;

template <class E>
bool read_enum(uint8_t raw, int count, E& out) {
  if (raw >= count) return false;
  out = static_cast<E>(raw);
  return true;
}

// ---- per-record mapping --------------------------------------------------

void fill(s::User::Builder b, const User& u) {
  write_uuid(b.initId(), u.id);
  b.setName(text(u.name));
  b.setDecisionEndpoint(text(u.decision_endpoint));
  b.setActivityEndpoint(text(u.activity_endpoint));
  b.setNotificationEndpoint(text(u.notification_endpoint));
  b.setAuthToken(text(u.legacy_token));
  b.setCreatedAt(u.created_at);
  b.setTokenKey(bytes(u.token_key));
  b.setTokenDigest(bytes(u.token_digest));
  b.setDisabled(u.disabled);
  auto grants = b.initGrants(unsigned(u.grants.size()));
  for (unsigned i = 0; i < u.grants.size(); ++i) write_uuid(grants[i], u.grants[i]);
  b.setVersion(u.version);
}

Result<User> read(s::User::Reader r) {
  User u;
  u.id = read_uuid(r.getId());
  u.name = read_text(r.getName());
  u.decision_endpoint = read_text(r.getDecisionEndpoint());
  u.activity_endpoint = read_text(r.getActivityEndpoint());
  u.notification_endpoint = read_text(r.getNotificationEndpoint());
  u.legacy_token = read_text(r.getAuthToken());
  u.created_at = r.getCreatedAt();
  u.token_key = read_bytes(r.getTokenKey());
  u.token_digest = read_bytes(r.getTokenDigest());
  u.disabled = r.getDisabled();
  for (auto g : r.getGrants()) u.grants.push_back(read_uuid(g));
  std::sort(u.grants.begin(), u.grants.end());
  u.grants.erase(std::unique(u.grants.begin(), u.grants.end()), u.grants.end());
  u.version = std::max<uint64_t>(1, r.getVersion());
  return u;
}

void fill(s::Workflow::Builder b, const Workflow& w) {
  write_uuid(b.initId(), w.id);
  write_uuid(b.initUserId(), w.user_id);
  b.setName(text(w.name));
  b.setDecider(text(w.decider));
  b.setSubject(text(w.subject));
  b.setComplete(w.complete);
  b.setPaused(w.paused);
  b.setCreatedAt(w.created_at);
  b.setUpdatedAt(w.updated_at);
  b.setNextSeq(w.next_seq);
}

Result<Workflow> read(s::Workflow::Reader r) {
  Workflow w;
  w.id = read_uuid(r.getId());
  w.user_id = read_uuid(r.getUserId());
  w.name = read_text(r.getName());
  w.decider = read_text(r.getDecider());
  w.subject = read_text(r.getSubject());
  w.complete = r.getComplete();
  w.paused = r.getPaused();
  w.created_at = r.getCreatedAt();
  w.updated_at = r.getUpdatedAt();
  w.next_seq = r.getNextSeq();
  return w;
}

void fill(s::Node::Builder b, const Node& n) {
  write_uuid(b.initId(), n.id);
  write_uuid(b.initWorkflowId(), n.workflow_id);
  write_uuid(b.initUserId(), n.user_id);
  write_uuid(b.initParentId(), n.parent_id.value_or(Uuid{}));
  b.setHasParent(n.parent_id.has_value());
  write_uuid(b.initParentLinkId(), n.parent_link_id.value_or(Uuid{}));
  b.setHasParentLink(n.parent_link_id.has_value());
  b.setName(text(n.name));
  b.setMode(static_cast<uint8_t>(n.mode));
  b.setLegacyType(text(n.legacy_type));
  b.setServerStatus(static_cast<uint8_t>(n.server_status));
  b.setClientStatus(static_cast<uint8_t>(n.client_status));
  b.setSeq(n.seq);
  b.setFiresAt(n.fires_at);
  b.setCompleteBy(n.complete_by.value_or(0));
  b.setHasCompleteBy(n.complete_by.has_value());
  b.setRetriesRemaining(n.retries_remaining);
  b.setRetryIntervalS(n.retry_interval_s);
  b.setRetriesMade(n.retries_made);
  b.setClientData(text(n.client_data));
  b.setMetadata(text(n.metadata));
  auto links = b.initLinks(static_cast<unsigned>(n.links.size()));
  for (unsigned i = 0; i < n.links.size(); ++i) {
    write_uuid(links[i].initNodeId(), n.links[i].node_id);
    links[i].setFinished(n.links[i].finished);
  }
  b.setStatusChangeCount(n.status_change_count);
  b.setCallbackPending(n.callback_pending);
  b.setCreatedAt(n.created_at);
  b.setUpdatedAt(n.updated_at);
  b.setAttempt(n.attempt);
  b.setTimeoutS(n.timeout_s.value_or(0));
  b.setHasTimeout(n.timeout_s.has_value());
  b.setPastStatuses(n.past_statuses);
  if (!n.activity_type.empty()) b.setActivityType(text(n.activity_type));
  if (!n.created_by.is_nil()) write_uuid(b.initCreatedBy(), n.created_by);
}

Result<Node> read(s::Node::Reader r) {
  Node n;
  n.id = read_uuid(r.getId());
  n.workflow_id = read_uuid(r.getWorkflowId());
  n.user_id = read_uuid(r.getUserId());
  if (r.getHasParent()) n.parent_id = read_uuid(r.getParentId());
  if (r.getHasParentLink()) n.parent_link_id = read_uuid(r.getParentLinkId());
  n.name = read_text(r.getName());
  if (!read_enum(r.getMode(), kModeCount, n.mode) ||
      !read_enum(r.getServerStatus(), kServerStatusCount, n.server_status) ||
      !read_enum(r.getClientStatus(), kClientStatusCount, n.client_status)) {
    return corruption("node " + n.id.str() + " has an unknown mode or status");
  }
  n.legacy_type = read_text(r.getLegacyType());
  n.activity_type = read_text(r.getActivityType());
  n.seq = r.getSeq();
  n.fires_at = r.getFiresAt();
  if (r.getHasCompleteBy()) n.complete_by = r.getCompleteBy();
  n.retries_remaining = r.getRetriesRemaining();
  n.retry_interval_s = r.getRetryIntervalS();
  n.retries_made = r.getRetriesMade();
  n.client_data = read_text(r.getClientData());
  n.metadata = read_text(r.getMetadata());
  auto links = r.getLinks();
  n.links.reserve(links.size());
  for (auto link : links) n.links.push_back(LinkRef{read_uuid(link.getNodeId()), link.getFinished()});
  n.status_change_count = r.getStatusChangeCount();
  n.callback_pending = r.getCallbackPending();
  n.created_at = r.getCreatedAt();
  n.updated_at = r.getUpdatedAt();
  n.attempt = r.getAttempt();
  if (r.getHasTimeout()) n.timeout_s = r.getTimeoutS();
  n.past_statuses = r.getPastStatuses();
  if (r.hasCreatedBy()) n.created_by = read_uuid(r.getCreatedBy());
  return n;
}

void fill(s::StatusChange::Builder b, const StatusChange& c) {
  write_uuid(b.initNodeId(), c.node_id);
  b.setIndex(c.index);
  b.setType(static_cast<uint8_t>(c.type));
  b.setFromStatus(text(c.from_status));
  b.setToStatus(text(c.to_status));
  b.setResponse(text(c.response));
  b.setCreatedAt(c.created_at);
}

Result<StatusChange> read(s::StatusChange::Reader r) {
  StatusChange c;
  c.node_id = read_uuid(r.getNodeId());
  c.index = r.getIndex();
  if (!read_enum(r.getType(), kStatusTypeCount, c.type)) {
    return corruption("status change of node " + c.node_id.str() + " has an unknown type");
  }
  c.from_status = read_text(r.getFromStatus());
  c.to_status = read_text(r.getToStatus());
  c.response = read_text(r.getResponse());
  c.created_at = r.getCreatedAt();
  return c;
}

void fill(s::OutboxEntry::Builder b, const OutboxEntry& e) {
  write_uuid(b.initId(), e.id);
  b.setUrl(text(e.url));
  b.setBody(text(e.body));
  b.setAttempts(e.attempts);
  b.setCreatedAt(e.created_at);
  b.setKind(uint8_t(e.kind));
  write_uuid(b.initTargetNode(), e.target_node);
  write_uuid(b.initLinkNode(), e.link_node);
  b.setFinished(e.finished);
  write_uuid(b.initWorkflowId(), e.workflow_id);
  if (!e.by_user.is_nil()) write_uuid(b.initByUser(), e.by_user);
}

Result<OutboxEntry> read(s::OutboxEntry::Reader r) {
  OutboxEntry e;
  e.id = read_uuid(r.getId());
  e.url = read_text(r.getUrl());
  e.body = read_text(r.getBody());
  e.attempts = r.getAttempts();
  e.created_at = r.getCreatedAt();
  if (r.getKind() > uint8_t(OutboxEntry::Kind::link)) return corruption("bad outbox kind");
  e.kind = OutboxEntry::Kind(r.getKind());
  e.target_node = read_uuid(r.getTargetNode());
  e.link_node = read_uuid(r.getLinkNode());
  e.finished = r.getFinished();
  e.workflow_id = read_uuid(r.getWorkflowId());
  if (r.hasByUser()) e.by_user = read_uuid(r.getByUser());
  return e;
}

// ---- the two generic edges -------------------------------------------------

// Cap'n Proto reports malformed input and exceeded limits by throwing
// kj::Exception; these two functions are where that becomes a value.
constexpr unsigned kFirstSegmentWords = 64;  // 512 bytes

template <class Schema, class T>
Result<std::string> encode_as(const T& record) {
  try {
    // The default first segment is 8 KiB, zeroed by calloc for every
    // record; most records are a few hundred bytes (that zeroing was ~7 % of
    // the server's instructions). Larger ones just get more segments.
    capnp::MallocMessageBuilder builder(kFirstSegmentWords);
    fill(builder.initRoot<Schema>(), record);
    kj::Array<capnp::word> words = capnp::messageToFlatArray(builder);
    auto bytes = words.asChars();
    return std::string(bytes.begin(), bytes.size());
  } catch (const kj::Exception& e) {
    return storage_error(std::string("cannot encode record: ") + e.getDescription().cStr());
  }
}

template <class Schema, class T>
Result<T> decode_as(std::string_view bytes) {
  if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0) {
    return corruption("record of " + std::to_string(bytes.size()) + " bytes is not whole words");
  }
  // The reader enforces word alignment and callers' buffers (RocksDB slices,
  // std::string) promise none, so decode from an aligned copy.
  auto words = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
  std::memcpy(words.begin(), bytes.data(), bytes.size());
  try {
    // A record holds no more than its bytes: a list of empty structs can
    // claim millions of elements in a few words (each counted as one word
    // read), which read() would allocate (hundreds of MB from a few bytes)
    // and whose re-encoding could not be read back. Reading a record of ours
    // touches each of its words once, so twice its size is plenty.
    capnp::ReaderOptions options;
    options.traversalLimitInWords = 2 * words.size() + 64;
    capnp::FlatArrayMessageReader reader(words, options);
    // messageToFlatArray writes exactly one message, so leftovers mean the
    // value was damaged or is not ours.
    if (reader.getEnd() != words.end()) return corruption("record has trailing bytes");
    return read(reader.getRoot<Schema>());
  } catch (const kj::Exception& e) {
    return corruption(std::string("cannot decode record: ") + e.getDescription().cStr());
  }
}

}  // namespace

Result<std::string> encode(const User& v) { return encode_as<s::User>(v); }
Result<std::string> encode(const Workflow& v) { return encode_as<s::Workflow>(v); }
Result<std::string> encode(const Node& v) { return encode_as<s::Node>(v); }
Result<std::string> encode(const StatusChange& v) { return encode_as<s::StatusChange>(v); }
Result<std::string> encode(const OutboxEntry& v) { return encode_as<s::OutboxEntry>(v); }

template <> Result<User> decode<User>(std::string_view b) { return decode_as<s::User, User>(b); }
template <> Result<Workflow> decode<Workflow>(std::string_view b) {
  return decode_as<s::Workflow, Workflow>(b);
}
template <> Result<Node> decode<Node>(std::string_view b) { return decode_as<s::Node, Node>(b); }
template <> Result<StatusChange> decode<StatusChange>(std::string_view b) {
  return decode_as<s::StatusChange, StatusChange>(b);
}
template <> Result<OutboxEntry> decode<OutboxEntry>(std::string_view b) {
  return decode_as<s::OutboxEntry, OutboxEntry>(b);
}

}  // namespace backbeat::storage
