#include "storage/export_codec.hpp"

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "storage/codec.hpp"
#include "storage/errors.hpp"

namespace backbeat::storage {
namespace {

constexpr std::string_view kMagic = "BBWX";
constexpr uint8_t kVersion = 1;
constexpr uint8_t kQueuedForRetention = 0x01;

void put_u32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

Status put_record(std::string& out, Result<std::string> bytes) {
  if (!bytes) return bytes.error();
  if (bytes->size() > std::numeric_limits<uint32_t>::max())
    return storage_error("record too large to export");
  put_u32(out, static_cast<uint32_t>(bytes->size()));
  out += *bytes;
  return ok_status();
}

template <class T>
Status put_records(std::string& out, const std::vector<T>& records) {
  if (records.size() > std::numeric_limits<uint32_t>::max())
    return storage_error("too many records to export");
  put_u32(out, static_cast<uint32_t>(records.size()));
  for (const T& r : records)
    if (auto s = put_record(out, encode(r)); !s) return s;
  return ok_status();
}

Error malformed(const std::string& what) { return corruption("exported workflow: " + what); }

// Reads from the front of the input, never past its end.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool empty() const { return in_.empty(); }

  Result<std::string_view> take(size_t n, const char* what) {
    if (in_.size() < n) return malformed(std::string("truncated in ") + what);
    std::string_view out = in_.substr(0, n);
    in_.remove_prefix(n);
    return out;
  }

  Result<uint32_t> u32(const char* what) {
    auto bytes = take(4, what);
    if (!bytes) return bytes.error();
    uint32_t v = 0;
    for (char c : *bytes) v = (v << 8) | static_cast<unsigned char>(c);
    return v;
  }

  template <class T>
  Result<T> record(const char* what) {
    auto size = u32(what);
    if (!size) return size.error();
    auto bytes = take(*size, what);
    if (!bytes) return bytes.error();
    return decode<T>(*bytes);
  }

  template <class T>
  Result<std::vector<T>> records(const char* what) {
    auto count = u32(what);
    if (!count) return count.error();
    // Each record takes at least its 4-byte length: a count the rest of
    // the input cannot hold is refused before anything is reserved.
    if (*count > in_.size() / 4) return malformed(std::string("impossible count of ") + what);
    std::vector<T> out;
    out.reserve(*count);
    for (uint32_t i = 0; i < *count; ++i) {
      auto r = record<T>(what);
      if (!r) return r.error();
      out.push_back(std::move(r).value());
    }
    return out;
  }

 private:
  std::string_view in_;
};

}  // namespace

Result<std::string> encode_export(const ExportedWorkflow& ex) {
  std::string out(kMagic);
  out.push_back(static_cast<char>(kVersion));
  if (auto s = put_record(out, encode(ex.workflow)); !s) return s.error();
  if (auto s = put_records(out, ex.nodes); !s) return s.error();
  if (auto s = put_records(out, ex.history); !s) return s.error();
  if (auto s = put_records(out, ex.outbox); !s) return s.error();
  out.push_back(static_cast<char>(ex.queued_for_retention ? kQueuedForRetention : 0));
  return out;
}

Result<ExportedWorkflow> decode_export(std::string_view bytes) {
  Reader in(bytes);
  auto magic = in.take(kMagic.size() + 1, "header");
  if (!magic) return magic.error();
  if (magic->substr(0, kMagic.size()) != kMagic) return malformed("not an exported workflow");
  if (static_cast<uint8_t>(magic->back()) != kVersion)
    return malformed("unknown version " + std::to_string(static_cast<uint8_t>(magic->back())));
  ExportedWorkflow ex;
  auto wf = in.record<Workflow>("workflow");
  if (!wf) return wf.error();
  ex.workflow = std::move(wf).value();
  auto nodes = in.records<Node>("nodes");
  if (!nodes) return nodes.error();
  ex.nodes = std::move(nodes).value();
  auto history = in.records<StatusChange>("status changes");
  if (!history) return history.error();
  ex.history = std::move(history).value();
  auto outbox = in.records<OutboxEntry>("outbox");
  if (!outbox) return outbox.error();
  ex.outbox = std::move(outbox).value();
  auto flags = in.take(1, "flags");
  if (!flags) return flags.error();
  const auto f = static_cast<uint8_t>((*flags)[0]);
  if (f & ~kQueuedForRetention) return malformed("unknown flags");
  ex.queued_for_retention = f & kQueuedForRetention;
  if (!in.empty()) return malformed("trailing bytes");
  if (auto s = check_export(ex); !s) return s.error();
  return ex;
}

}  // namespace backbeat::storage
