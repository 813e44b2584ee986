#include "storage/search.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "storage/codec.hpp"
#include "storage/errors.hpp"
#include "storage/indexes.hpp"
#include "storage/keys.hpp"

namespace backbeat::storage {
namespace {

using OrderKey = std::string;  // index::order_key

// What a query has looked at, against its budget: every move of an index
// cursor and every status change row a time filter reads costs one.
class Scan {
 public:
  explicit Scan(size_t budget) : budget_(budget) {}
  void spend() { ++spent_; }
  bool exhausted() const { return spent_ >= budget_; }

 private:
  size_t budget_;
  size_t spent_ = 0;
};

// One index listing: order keys ascending (= newest first), no gaps.
class Listing {
 public:
  virtual ~Listing() = default;
  // The first order key >= from (> from when `after`); nullopt at the end.
  // Calls come with `from` never decreasing, as a query only moves forward.
  virtual Result<std::optional<OrderKey>> seek(const OrderKey& from, bool after) = 0;
};

// Entries under one prefix, each starting with an order key; whatever
// follows it (a node id in the workflow-status index) is skipped, so a
// workflow with two matching nodes is listed once.
class PrefixListing final : public Listing {
 public:
  PrefixListing(std::unique_ptr<KeyCursor> cursor, Scan& scan)
      : cursor_(std::move(cursor)), scan_(scan) {}

  Result<std::optional<OrderKey>> seek(const OrderKey& from, bool after) override {
    if (ended_) return std::optional<OrderKey>();
    // Already at or past the target: the first entry there is where we are.
    if (at_ && (*at_ > from || (*at_ == from && !after))) return at_;
    const std::string target = after ? keys::prefix_end(from) : from;
    if (after && target.empty()) return end();
    scan_.spend();
    auto found = cursor_->seek(target);
    if (!found) return found.error();
    if (!*found) return end();
    const std::string_view suffix = cursor_->suffix();
    if (suffix.size() < index::kOrderKeySize) return corruption("malformed search index entry");
    at_ = OrderKey(suffix.substr(0, index::kOrderKeySize));
    return at_;
  }

 private:
  std::optional<OrderKey> end() {
    ended_ = true;
    return std::nullopt;
  }

  std::unique_ptr<KeyCursor> cursor_;
  Scan& scan_;
  std::optional<OrderKey> at_;
  bool ended_ = false;
};

// Entries in any of several listings (server OR client status).
class AnyListing final : public Listing {
 public:
  explicit AnyListing(std::vector<std::unique_ptr<Listing>> parts) : parts_(std::move(parts)) {}

  Result<std::optional<OrderKey>> seek(const OrderKey& from, bool after) override {
    std::optional<OrderKey> best;
    for (auto& part : parts_) {
      auto k = part->seek(from, after);
      if (!k) return k.error();
      if (*k && (!best || **k < *best)) best = std::move(*k);
    }
    return best;
  }

 private:
  std::vector<std::unique_ptr<Listing>> parts_;
};

using Listings = std::vector<std::unique_ptr<Listing>>;

std::unique_ptr<Listing> listing(const ReadView& view, std::string prefix, Scan& scan) {
  return std::make_unique<PrefixListing>(view.cursor(Family::search, std::move(prefix)), scan);
}

template <class Prefix>
std::unique_ptr<Listing> either_status(const ReadView& view, Prefix prefix, Scan& scan) {
  Listings parts;
  parts.push_back(listing(view, prefix(StatusType::server), scan));
  parts.push_back(listing(view, prefix(StatusType::client), scan));
  return std::make_unique<AnyListing>(std::move(parts));
}

struct Step {
  enum Kind { found, ended, out_of_budget } kind;
  OrderKey key;  // found: the key every listing has
};

// The first order key in every listing (leapfrog join): each listing in
// turn seeks to the largest key seen so far, until all agree on one. Every
// listing is in the same order, so this costs seeks proportional to how
// often they disagree, not to their length. A key one listing skips is in
// no join: it becomes `ruled_out` (every key from the start up to it is
// then decided), and an exhausted scan stops the step there.
Result<Step> next_common(Listings& all, const OrderKey& from, bool after, const Scan& scan,
                         std::optional<OrderKey>& ruled_out) {
  auto first = all[0]->seek(from, after);
  if (!first) return first.error();
  if (!*first) return Step{Step::ended, {}};
  OrderKey target = std::move(**first);
  size_t agree = 1;
  for (size_t i = 1; agree < all.size(); ++i) {
    auto k = all[i % all.size()]->seek(target, false);
    if (!k) return k.error();
    if (!*k) return Step{Step::ended, {}};
    if (**k == target) {
      ++agree;
      continue;
    }
    ruled_out = std::exchange(target, std::move(**k));
    agree = 1;
    if (scan.exhausted()) return Step{Step::out_of_budget, {}};
  }
  return Step{Step::found, std::move(target)};
}

size_t to_skip(const PageRequest& page) {
  if (page.page <= 1) return 0;
  const size_t pages = page.page - 1;
  if (page.per_page != 0 && pages > std::numeric_limits<size_t>::max() / page.per_page)
    return std::numeric_limits<size_t>::max();
  return pages * page.per_page;
}

// Order keys come from PrefixListing, which checked their size.
Uuid id_in(const OrderKey& order) { return *index::id_of(order); }

SearchCursor position_in(const OrderKey& order) {
  return SearchCursor{*index::created_at_of(order), id_in(order)};
}

// Walks the join from the start position, checks each candidate with `keep`
// (records and what no index answers), skips the earlier pages' matches and
// stops at a full page, at the end, or once the scan is exhausted after
// deciding at least one key (so a walk continued from there moves on).
template <class T, class Keep>
Result<Found<T>> collect(Listings& all, const Scan& scan, OrderKey from, bool after,
                         const PageRequest& page, Keep keep) {
  Found<T> out;
  size_t skip = to_skip(page);
  std::optional<OrderKey> decided;  // the last key ruled on, in listing order
  while (out.rows.size() < page.per_page) {
    if (decided && scan.exhausted()) {
      out.partial = true;
      break;
    }
    auto step = next_common(all, from, after, scan, decided);
    if (!step) return step.error();
    if (step->kind == Step::ended) break;
    if (step->kind == Step::out_of_budget) {
      out.partial = true;
      break;
    }
    from = std::move(step->key);
    after = true;
    Result<std::optional<T>> kept = keep(from);
    if (!kept) return kept.error();
    decided = from;
    if (!*kept) continue;
    if (skip > 0) {
      --skip;
      continue;
    }
    out.rows.push_back(std::move(**kept));
  }
  if (out.partial) out.scanned_to = position_in(*decided);
  return out;
}

template <class T>
Result<std::optional<T>> read(const ReadView& view, Family f, const std::string& key) {
  auto bytes = view.get(f, key);
  if (!bytes) return bytes.error();
  if (!*bytes) return std::optional<T>();
  auto record = decode<T>(**bytes);
  if (!record) return record.error();
  return std::optional<T>(std::move(record).value());
}

Result<std::optional<Workflow>> read_workflow(const ReadView& view, const Uuid& id) {
  return read<Workflow>(view, Family::workflows, keys::workflow(id));
}

Result<std::optional<Node>> read_node(const ReadView& view, const Uuid& id) {
  auto location = view.get(Family::node_index, keys::node_index(id));
  if (!location) return location.error();
  if (!*location) return std::optional<Node>();
  auto loc = keys::parse_node_location(**location);
  if (!loc) return corruption("malformed node_index entry for " + id.str());
  return read<Node>(view, Family::nodes, keys::node(loc->workflow_id, id));
}

bool shown(const WorkflowVisible& visible, const Uuid& workflow_id) {
  return !visible || visible(workflow_id);
}

bool has_time_range(const SearchFilter& f) { return f.status_start || f.status_end; }

bool in_range(const SearchFilter& f, Millis t) {
  return (!f.status_start || t >= *f.status_start) && (!f.status_end || t <= *f.status_end);
}

// The time range over the status changes behind `prefix` (one workflow's or
// one node's). Post-filtered: a history is some dozens of rows behind one
// prefix, read only for candidates the other filters let through. A time
// index would cost two index writes for every row of every workflow, to
// speed up a filter few searches use. Each row read counts against the
// scan: a workflow's history can be long.
Result<bool> changed_within(const ReadView& view, std::string prefix, const SearchFilter& f,
                            Scan& scan) {
  auto cursor = view.cursor(Family::status_changes, std::move(prefix));
  auto found = cursor->seek({});
  while (found && *found) {
    scan.spend();
    auto sc = decode<StatusChange>(cursor->value());
    if (!sc) return sc.error();
    if ((!f.past_status || sc->to_status == *f.past_status) && in_range(f, sc->created_at))
      return true;
    found = cursor->next();
  }
  if (!found) return found.error();
  return false;
}

Result<std::optional<SearchCursor>> workflow_at(const ReadView& view, const Uuid& user,
                                                const Uuid& id, const WorkflowVisible& visible) {
  if (!shown(visible, id)) return std::optional<SearchCursor>();
  auto wf = read_workflow(view, id);
  if (!wf) return wf.error();
  if (!*wf || (*wf)->user_id != user) return std::optional<SearchCursor>();
  return std::optional<SearchCursor>(SearchCursor{(*wf)->created_at, (*wf)->id});
}

Result<std::optional<SearchCursor>> node_at(const ReadView& view, const Uuid& user,
                                            const Uuid& id, const WorkflowVisible& visible) {
  auto node = read_node(view, id);
  if (!node) return node.error();
  if (!*node || (*node)->user_id != user || !shown(visible, (*node)->workflow_id))
    return std::optional<SearchCursor>();
  return std::optional<SearchCursor>(SearchCursor{(*node)->created_at, (*node)->id});
}

// Where a page's walk starts: the listing's start, or just after a cursor
// (explicit, or last_id's row). `nothing` when last_id names no row the
// user can see in this listing: an empty page, as for an unknown id.
struct Start {
  OrderKey from;
  bool after = false;
  bool nothing = false;
};

template <class Locate>
Result<Start> start_of(const PageRequest& page, Locate locate) {
  if (page.after) return Start{index::order_key(page.after->created_at, page.after->id), true, false};
  if (!page.last_id) return Start{};
  Result<std::optional<SearchCursor>> at = locate(*page.last_id);
  if (!at) return at.error();
  if (!*at) return Start{{}, false, true};
  return Start{index::order_key((*at)->created_at, (*at)->id), true, false};
}

}  // namespace

Result<Found<Workflow>> search_workflows(const Store& store, const Uuid& user,
                                         const SearchFilter& f, const PageRequest& page) {
  auto view = store.view();
  Scan scan(page.scan_budget);
  Listings all;
  if (f.name) all.push_back(listing(*view, index::workflows_named(user, *f.name), scan));
  if (f.current_status)
    all.push_back(either_status(*view, [&](StatusType type) {
      return index::workflows_in_status(user, type, *f.current_status);
    }, scan));
  if (f.past_status)
    all.push_back(listing(*view, index::workflows_ever_in(user, *f.past_status), scan));
  // Every workflow of the user, nodes or not (docs/contract.md §19: the
  // original's join hid workflows without nodes).
  if (all.empty()) all.push_back(listing(*view, index::workflows(user), scan));

  auto start =
      start_of(page, [&](const Uuid& id) { return workflow_at(*view, user, id, f.visible); });
  if (!start) return start.error();
  if (start->nothing) return Found<Workflow>{};
  auto keep = [&](const OrderKey& order) -> Result<std::optional<Workflow>> {
    const Uuid id = id_in(order);
    if (!shown(f.visible, id)) return std::optional<Workflow>();
    auto wf = read_workflow(*view, id);
    if (!wf || !*wf) return wf;  // an entry without its record cannot happen: same batch
    // Substring search has no index; it only narrows what the indexes found.
    if (f.text && (*wf)->subject.find(*f.text) == std::string::npos)
      return std::optional<Workflow>();
    if (has_time_range(f)) {
      auto within = changed_within(*view, keys::workflow(id), f, scan);
      if (!within) return within.error();
      if (!*within) return std::optional<Workflow>();
    }
    return wf;
  };
  return collect<Workflow>(all, scan, std::move(start->from), start->after, page, keep);
}

Result<Found<NodeHit>> search_nodes(const Store& store, const Uuid& user, const SearchFilter& f,
                                    const PageRequest& page) {
  auto view = store.view();
  Scan scan(page.scan_budget);
  Listings all;
  if (f.name) all.push_back(listing(*view, index::nodes_named(user, *f.name), scan));
  if (f.current_status)
    all.push_back(either_status(*view, [&](StatusType type) {
      return index::nodes_in_status(user, type, *f.current_status);
    }, scan));
  if (f.past_status) all.push_back(listing(*view, index::nodes_ever_in(user, *f.past_status), scan));
  if (all.empty()) all.push_back(listing(*view, index::nodes(user), scan));

  auto start = start_of(page, [&](const Uuid& id) { return node_at(*view, user, id, f.visible); });
  if (!start) return start.error();
  if (start->nothing) return Found<NodeHit>{};
  std::unordered_map<Uuid, Workflow> workflows;  // many hits share one
  auto keep = [&](const OrderKey& order) -> Result<std::optional<NodeHit>> {
    auto node = read_node(*view, id_in(order));
    if (!node) return node.error();
    if (!*node || (*node)->user_id != user || !shown(f.visible, (*node)->workflow_id))
      return std::optional<NodeHit>();
    if (f.text && (*node)->metadata.find(*f.text) == std::string::npos)
      return std::optional<NodeHit>();
    if (has_time_range(f)) {
      auto within = changed_within(
          *view, keys::status_change_prefix((*node)->workflow_id, (*node)->id), f, scan);
      if (!within) return within.error();
      if (!*within) return std::optional<NodeHit>();
    }
    auto cached = workflows.find((*node)->workflow_id);
    if (cached == workflows.end()) {
      auto wf = read_workflow(*view, (*node)->workflow_id);
      if (!wf) return wf.error();
      if (!*wf) return std::optional<NodeHit>();
      cached = workflows.emplace((*node)->workflow_id, std::move(**wf)).first;
    }
    return std::optional<NodeHit>(NodeHit{std::move(**node), cached->second});
  };
  return collect<NodeHit>(all, scan, std::move(start->from), start->after, page, keep);
}

Result<std::optional<SearchCursor>> workflow_position(const Store& store, const Uuid& user,
                                                      const Uuid& workflow_id) {
  return workflow_at(*store.view(), user, workflow_id, {});
}

Result<std::optional<SearchCursor>> node_position(const Store& store, const Uuid& user,
                                                  const Uuid& node_id) {
  return node_at(*store.view(), user, node_id, {});
}

Result<Found<std::string>> workflow_names(const Store& store, const Uuid& user,
                                          const WorkflowVisible& visible, size_t scan_budget) {
  auto view = store.view();
  auto cursor = view->cursor(Family::search, index::workflow_names(user));
  Found<std::string> out;
  Scan scan(scan_budget);
  auto found = cursor->seek({});
  while (found && *found) {
    if (scan.exhausted()) {
      out.partial = true;
      break;
    }
    scan.spend();
    const std::string_view entry = cursor->suffix();
    std::string_view rest = entry;
    auto name = index::read_text(rest);
    if (!name) return corruption("malformed workflow name index entry");
    if (visible) {
      auto id = index::id_of(rest);
      if (!id) return corruption("malformed workflow name index entry");
      // A hidden workflow's entry does not show its name; the name's next
      // entry may. Hidden copies are of partitions moving in or out: few.
      if (!visible(*id)) {
        found = cursor->next();
        continue;
      }
    }
    out.rows.push_back(std::move(*name));
    // Skip the other workflows of this name: one seek per distinct name.
    const std::string next = keys::prefix_end(entry.substr(0, entry.size() - rest.size()));
    if (next.empty()) break;
    found = cursor->seek(next);
  }
  if (!found) return found.error();
  return out;
}

Result<Found<Workflow>> error_workflows(const Store& store, const Uuid& user,
                                        const WorkflowVisible& visible, size_t scan_budget) {
  auto view = store.view();
  auto cursor = view->cursor(Family::search,
                             index::nodes_in_status(user, StatusType::client, "errored"));
  Found<Workflow> out;
  Scan scan(scan_budget);
  std::unordered_set<Uuid> ids;
  auto found = cursor->seek({});
  while (found && *found) {
    if (scan.exhausted()) {
      out.partial = true;
      break;
    }
    scan.spend();
    if (cursor->value().size() != keys::kUuidSize)
      return corruption("malformed node status index entry");
    const Uuid id = Uuid::from_bytes(cursor->value().data());
    if (shown(visible, id)) ids.insert(id);
    found = cursor->next();
  }
  if (!found) return found.error();
  for (const Uuid& id : ids) {
    auto wf = read_workflow(*view, id);
    if (!wf) return wf.error();
    // Only the user's own workflows: a node run for this user in another
    // user's workflow (client_id) must not reveal that workflow.
    if (*wf && (*wf)->user_id == user) out.rows.push_back(std::move(**wf));
  }
  std::sort(out.rows.begin(), out.rows.end(), [](const Workflow& a, const Workflow& b) {
    return index::order_key(a.created_at, a.id) < index::order_key(b.created_at, b.id);
  });
  return out;
}

}  // namespace backbeat::storage
