#include "actors/api/listing_merge.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>

#include "actors/api/partial_listing.hpp"
#include "net/contract/error_body.hpp"
#include "net/contract/iso_time.hpp"
#include "net/contract/json_text.hpp"

namespace backbeat::actors::api {
namespace {

Error unavailable(std::string message) {
  return make_error(Error::Kind::partition_unavailable, std::move(message));
}

Error malformed(std::string what) {
  return make_error(Error::Kind::internal,
                    "a member answered a malformed listing: " + std::move(what));
}

bool success(int status) { return status >= 200 && status <= 299; }

// What a member's error answer said, shortened, for the 503 that names it.
std::string gist(const net::HttpResponse& r) {
  constexpr size_t kMax = 200;
  std::string out = "answered " + std::to_string(r.status);
  if (!r.body.empty()) out += ": " + r.body.substr(0, kMax);
  return out;
}

// The first partition whose owner is not among those that answered.
std::optional<std::string> silent_owner(const std::vector<MemberAnswer>& answers,
                                        const std::vector<std::string>& owners) {
  for (size_t p = 0; p < owners.size(); ++p) {
    if (owners[p].empty()) return "partition " + std::to_string(p) + " has no owner";
    const bool answered = std::any_of(answers.begin(), answers.end(), [&](const MemberAnswer& a) {
      return a.ok && a.member == owners[p];
    });
    if (!answered)
      return "partition " + std::to_string(p) + "'s owner " + owners[p] + " did not answer";
  }
  return std::nullopt;
}

std::optional<std::string> text_at(const contract::OrderedJson& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

Result<storage::SearchCursor> position_of(const contract::OrderedJson& row, std::string_view created_key) {
  if (!row.is_object()) return malformed("a row is not an object");
  auto created = text_at(row, std::string(created_key).c_str());
  auto id = text_at(row, "id");
  std::optional<Millis> at = created ? contract::parse_iso8601(*created) : std::nullopt;
  std::optional<Uuid> uuid = id ? Uuid::parse(*id) : std::nullopt;
  if (!at || !uuid) return malformed("a row without a valid " + std::string(created_key) + " or id");
  return storage::SearchCursor{*at, *uuid};
}

// The listing order: newer first, then the higher id.
bool before(const storage::SearchCursor& a, const storage::SearchCursor& b) {
  return std::tie(b.created_at, b.id) < std::tie(a.created_at, a.id);
}

size_t saturating_add(size_t a, size_t b) {
  return a > std::numeric_limits<size_t>::max() - b ? std::numeric_limits<size_t>::max() : a + b;
}

constexpr std::string_view kHexDigits = "0123456789abcdef";

// Every partition listed by exactly one member; else why not.
std::optional<std::string> uncovered(const std::vector<MemberAnswer>& answers, size_t partitions) {
  std::vector<int> times(partitions);
  for (const MemberAnswer& a : answers) {
    auto listed = decode_partitions(a.response.header(kListedHeader), partitions);
    if (!listed) return "member " + a.member + " did not say which partitions it listed";
    for (size_t p = 0; p < partitions; ++p) times[p] += (*listed)[p];
  }
  for (size_t p = 0; p < partitions; ++p)
    if (times[p] != 1)
      return "partition " + std::to_string(p) + " was listed by " + std::to_string(times[p]) +
             " members: it is changing owner";
  return std::nullopt;
}

}  // namespace

std::string encode_partitions(const std::vector<bool>& partitions) {
  std::string out;
  for (size_t first = 0; first < partitions.size(); first += 4) {
    unsigned digit = 0;
    for (size_t bit = 0; bit < 4 && first + bit < partitions.size(); ++bit)
      digit |= unsigned(partitions[first + bit]) << bit;
    out.push_back(kHexDigits[digit]);
  }
  return out;
}

std::optional<std::vector<bool>> decode_partitions(std::string_view text, size_t count) {
  if (text.size() != (count + 3) / 4) return std::nullopt;
  std::vector<bool> out(count);
  for (size_t i = 0; i < text.size(); ++i) {
    const size_t digit = kHexDigits.find(text[i]);
    if (digit == std::string_view::npos) return std::nullopt;
    for (size_t bit = 0; bit < 4; ++bit) {
      const size_t p = i * 4 + bit;
      if (!(digit & (1u << bit))) continue;
      if (p >= count) return std::nullopt;  // a partition that does not exist
      out[p] = true;
    }
  }
  return out;
}

Result<std::vector<contract::OrderedJson>> member_bodies(const std::vector<MemberAnswer>& answers,
                                                    const std::vector<std::string>& owners) {
  std::vector<contract::OrderedJson> out;
  for (const MemberAnswer& a : answers) {
    if (!a.ok) return unavailable("member " + a.member + " did not answer: " + a.error);
    if (!success(a.response.status)) return unavailable("member " + a.member + " " + gist(a.response));
    auto body = contract::OrderedJson::parse(a.response.body, nullptr, false);
    if (body.is_discarded()) return unavailable("member " + a.member + " answered malformed JSON");
    out.push_back(std::move(body));
  }
  if (auto silent = silent_owner(answers, owners)) return unavailable(*silent);
  if (auto gap = uncovered(answers, owners.size())) return unavailable(*gap);
  return out;
}

net::HttpResponse first_found(const std::vector<MemberAnswer>& answers,
                              const std::vector<std::string>& owners) {
  for (const MemberAnswer& a : answers)
    if (a.ok && success(a.response.status)) return a.response;
  for (const MemberAnswer& a : answers)
    if (a.ok && a.response.status != 404) return a.response;
  // Everyone who answered said 404: true only if everyone that may have it answered.
  std::optional<std::string> problem = silent_owner(answers, owners);
  for (const MemberAnswer& a : answers)
    if (!a.ok && !problem) problem = "member " + a.member + " did not answer: " + a.error;
  if (!problem && answers.empty()) problem = "no member answered";
  if (problem) return contract::error_response(unavailable(*problem));
  return answers.front().response;
}

Result<std::vector<ListingRow>> listing_rows(const contract::OrderedJson& body,
                                             std::string_view created_key) {
  if (!body.is_array()) return malformed("not an array");
  std::vector<ListingRow> out;
  out.reserve(body.size());
  for (const contract::OrderedJson& row : body) {
    auto at = position_of(row, created_key);
    if (!at) return at.error();
    out.push_back(ListingRow{*at, row});
  }
  return out;
}

std::vector<ListingRow> merge_newest_first(std::vector<std::vector<ListingRow>> pages) {
  std::vector<ListingRow> all;
  for (auto& page : pages)
    for (ListingRow& row : page) all.push_back(std::move(row));
  std::stable_sort(all.begin(), all.end(),
                   [](const ListingRow& a, const ListingRow& b) { return before(a.at, b.at); });
  // A row two members both hold (a partition caught mid-move) is listed once.
  all.erase(std::unique(all.begin(), all.end(),
                        [](const ListingRow& a, const ListingRow& b) { return a.at == b.at; }),
            all.end());
  return all;
}

PageWalk::PageWalk(size_t skip, size_t take, std::optional<storage::SearchCursor> after,
                   size_t max_window)
    : skip_(skip), take_(take), after_(std::move(after)), max_window_(std::max<size_t>(max_window, 1)) {}

size_t PageWalk::window() const {
  return std::max<size_t>(1, std::min(saturating_add(skip_, take_), max_window_));
}

Result<MembersScan> members_scan(const std::vector<MemberAnswer>& answers) {
  MembersScan out;
  for (const MemberAnswer& a : answers) {
    out.partial = out.partial || is_partial(a.response);
    auto at = scanned_to(a.response);
    if (!at) return at.error();
    if (*at && (!out.scanned_to || before(**at, *out.scanned_to))) out.scanned_to = *at;
  }
  return out;
}

bool PageWalk::add(std::vector<ListingRow> merged, std::optional<storage::SearchCursor> scanned_to) {
  const size_t window = this->window();
  if (merged.size() > window) merged.resize(window);
  const bool listing_ended = merged.size() < window;
  if (scanned_to) {
    // A full window is exact only up to its last row, which may come first.
    if (!listing_ended && before(merged.back().at, *scanned_to)) scanned_to = merged.back().at;
    // Past the earliest stop, some member's rows are unknown.
    std::erase_if(merged, [&](const ListingRow& row) { return before(*scanned_to, row.at); });
  }
  for (ListingRow& row : merged) {
    if (skip_ > 0) {
      --skip_;
    } else if (take_ > 0) {
      page_.push_back(std::move(row.json));
      --take_;
    }
  }
  if (take_ == 0) return true;
  if (scanned_to) {
    stopped_at_ = scanned_to;
    return true;
  }
  if (listing_ended) return true;
  after_ = merged.back().at;
  return false;
}

Result<contract::OrderedJson> merge_names(const std::vector<contract::OrderedJson>& bodies) {
  std::vector<std::string> names;
  for (const contract::OrderedJson& body : bodies) {
    if (!body.is_array()) return malformed("names: not an array");
    for (const contract::OrderedJson& name : body) {
      if (!name.is_string()) return malformed("names: a name is not a string");
      names.push_back(name.get<std::string>());
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  contract::OrderedJson out = contract::OrderedJson::array();
  for (std::string& name : names) out.push_back(std::move(name));
  return out;
}

namespace {

// One row of the errored report, with what orders it.
struct ReportRow {
  std::string user_name;
  std::string user_id;
  int group;  // 0: retries_exhausted, 1: errored (admin_api.cpp lists them in that order)
  storage::SearchCursor at;
  const contract::OrderedJson* json;
};

Result<ReportRow> report_row(const contract::OrderedJson& item) {
  if (!item.is_object() || !item.contains("user") || !item.contains("node") ||
      !item["user"].is_object())
    return malformed("errored report: a row without user and node");
  const contract::OrderedJson& node = item["node"];
  auto at = position_of(node, "createdAt");
  if (!at) return at.error();
  auto name = text_at(item["user"], "name");
  auto id = text_at(item["user"], "id");
  if (!name || !id) return malformed("errored report: a user without name or id");
  const bool exhausted = text_at(node, "currentServerStatus") == "retries_exhausted" ||
                         text_at(node, "currentClientStatus") == "retries_exhausted";
  return ReportRow{*name, *id, exhausted ? 0 : 1, *at, &item};
}

}  // namespace

Result<contract::OrderedJson> merge_errored_reports(const std::vector<contract::OrderedJson>& bodies,
                                               std::string generated_at, size_t rows_per_status) {
  std::vector<ReportRow> rows;
  for (const contract::OrderedJson& body : bodies) {
    if (!body.is_object() || !body.contains("nodes") || !body["nodes"].is_array())
      return malformed("errored report: no nodes");
    for (const contract::OrderedJson& item : body["nodes"]) {
      auto row = report_row(item);
      if (!row) return row.error();
      rows.push_back(std::move(*row));
    }
  }
  auto key = [](const ReportRow& r) { return std::tie(r.user_name, r.user_id, r.group); };
  std::stable_sort(rows.begin(), rows.end(), [&](const ReportRow& a, const ReportRow& b) {
    if (key(a) != key(b)) return key(a) < key(b);
    return before(a.at, b.at);
  });
  contract::OrderedJson nodes = contract::OrderedJson::array();
  std::map<std::string, std::map<std::string, int>> counts;  // workflow name -> status -> n
  size_t in_group = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const bool new_group = i == 0 || key(rows[i]) != key(rows[i - 1]);
    if (new_group) in_group = 0;
    if (!new_group && rows[i].at == rows[i - 1].at) continue;  // one node, held twice
    if (in_group++ >= rows_per_status) continue;
    const contract::OrderedJson& node = (*rows[i].json)["node"];
    counts[text_at(node, "workflowName").value_or("")][text_at(node, "currentServerStatus").value_or("")]++;
    nodes.push_back(*rows[i].json);
  }
  contract::OrderedJson by_workflow = contract::OrderedJson::object();
  for (const auto& [name, per_status] : counts) by_workflow[name] = per_status;
  return contract::OrderedJson{{"generatedAt", std::move(generated_at)},
                          {"counts", by_workflow},
                          {"nodes", nodes}};
}

}  // namespace backbeat::actors::api
