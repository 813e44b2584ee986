// present_tree and present_tree_print (declared in json_presenters.hpp).
#include <string>
#include <unordered_map>

#include "net/contract/iso_time.hpp"
#include "net/contract/json_presenters.hpp"
#include "net/contract/json_text.hpp"
#include "net/contract/params.hpp"

namespace backbeat::contract {
namespace {

// Parent -> children in input (seq) order; the workflow is the null parent.
class Family {
 public:
  explicit Family(const std::vector<Node>& nodes) {
    for (const Node& n : nodes) {
      if (n.parent_id) by_parent_[*n.parent_id].push_back(&n);
      else top_.push_back(&n);
    }
  }
  const std::vector<const Node*>& children_of(const Node* parent) const {
    if (!parent) return top_;
    const auto it = by_parent_.find(parent->id);
    return it == by_parent_.end() ? none_ : it->second;
  }

 private:
  std::vector<const Node*> top_, none_;
  std::unordered_map<Uuid, std::vector<const Node*>> by_parent_;
};

// Recursion depth is the tree's depth; every level is a client round trip.
OrderedJson tree_item(const Workflow& wf, const Node* node, const OrderedJson& subject,
                      const Family& family) {
  OrderedJson children = OrderedJson::array();
  for (const Node* child : family.children_of(node))
    children.push_back(tree_item(wf, child, subject, family));
  if (!node)
    return {{"id", wf.id.str()},   {"name", wf.name},
            {"userId", wf.user_id.str()},
            {"subject", subject},  {"mode", nullptr},
            {"currentServerStatus", nullptr},
            {"currentClientStatus", nullptr},
            {"createdAt", format_iso8601_ms(wf.created_at)},
            {"retryingAt", nullptr},
            {"children", std::move(children)}};
  const bool retrying = node->server_status == ServerStatus::retrying;
  return {{"id", node->id.str()},
          {"name", node->name},
          {"userId", node->user_id.str()},
          {"subject", subject},
          {"mode", to_string(node->mode)},
          {"currentServerStatus", to_string(node->server_status)},
          {"currentClientStatus", to_string(node->client_status)},
          {"createdAt", format_iso8601_ms(node->created_at)},
          {"retryingAt", retrying ? OrderedJson(format_iso8601_ms(node->fires_at)) : OrderedJson()},
          {"children", std::move(children)}};
}

std::string ansi(int colour, std::string_view text) {
  return "\x1b[" + std::to_string(colour) + "m" + std::string(text) + "\x1b[0m";
}

// First match wins, in the original's order.
int status_colour(const Node& n) {
  enum { red = 31, green = 32, yellow = 33, white = 37 };
  const auto s = n.server_status;
  const auto c = n.client_status;
  if (s == ServerStatus::errored || c == ClientStatus::errored) return red;
  if (s == ServerStatus::ready && c == ClientStatus::ready) return white;
  if (s == ServerStatus::complete && c == ClientStatus::complete) return green;
  if (s == ServerStatus::deactivated) return white;
  return yellow;
}

void print_item(const Workflow& wf, const Node* node, int depth, const Family& family,
                std::string& out) {
  enum { cyan = 36 };
  std::string indent;
  for (int i = 0; i < depth; ++i) indent += "   ";
  out += '\n';
  out += node ? node->id.str() : wf.id.str();
  out += ansi(cyan, indent + "|--");
  if (node) {
    const std::string details = node->name + " - server: " +
                                std::string(to_string(node->server_status)) +
                                ", client: " + std::string(to_string(node->client_status));
    out += ansi(status_colour(*node), details);
  } else {
    out += wf.name;
  }
  for (const Node* child : family.children_of(node)) print_item(wf, child, depth + 1, family, out);
}

}  // namespace

OrderedJson present_tree(const Workflow& wf, const std::vector<Node>& nodes_sorted_by_seq) {
  const Family family(nodes_sorted_by_seq);
  const OrderedJson subject = camelize_keys(parse_stored_json(wf.subject));
  return tree_item(wf, nullptr, subject, family);
}

OrderedJson present_tree_print(const Workflow& wf, const std::vector<Node>& nodes_sorted_by_seq) {
  const Family family(nodes_sorted_by_seq);
  std::string text;
  print_item(wf, nullptr, 0, family, text);
  return {{"print", std::move(text)}};
}

}  // namespace backbeat::contract
