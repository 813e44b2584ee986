#pragma once
// A store with search indexes written as the engine's persistence writes
// them (index_workflow/index_nodes in the records' WriteSet), and the
// searches read back as ids.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "storage/indexes.hpp"
#include "storage/search.hpp"
#include "tests/storage/samples.hpp"
#include "tests/storage/store_fixture.hpp"

namespace backbeat::storage::test {

inline const Uuid kAlice = id(0xA1);
inline const Uuid kBob = id(0xB0);

struct SearchFixture : StoreFixture {
  Workflow workflow(Uuid wf_id, Uuid user, std::string name, Millis created,
                    std::string subject = R"({"k":1})") {
    Workflow wf;
    wf.id = wf_id;
    wf.user_id = user;
    wf.name = std::move(name);
    wf.decider = "D";
    wf.subject = std::move(subject);
    wf.created_at = wf.updated_at = created;
    WriteSet ws;
    ws.put_workflow(wf);
    index::index_workflow(ws, wf);
    write(std::move(ws));
    return wf;
  }

  // A node created by an apply: no rows, whatever statuses it is born with.
  Node node(const Workflow& wf, Uuid node_id, std::string name, Millis created,
            ServerStatus server = ServerStatus::pending, ClientStatus client = ClientStatus::pending,
            std::optional<Uuid> user = std::nullopt, std::string metadata = "{}") {
    Node n;
    n.id = node_id;
    n.workflow_id = wf.id;
    n.user_id = user.value_or(wf.user_id);
    n.name = std::move(name);
    n.server_status = server;
    n.client_status = client;
    n.metadata = std::move(metadata);
    n.created_at = n.updated_at = created;
    apply(wf, {&n}, {}, {n.id});
    return n;
  }

  struct Move {
    StatusType type;
    std::string to;
  };

  // One apply moving `n` through `moves` at time `at`, as Txn::transition
  // records them.
  void move(const Workflow& wf, Node& n, std::vector<Move> moves, Millis at) {
    std::vector<StatusChange> rows;
    for (const Move& m : moves) {
      StatusChange sc;
      sc.node_id = n.id;
      sc.index = n.status_change_count++;
      sc.type = m.type;
      sc.created_at = at;
      sc.to_status = m.to;
      if (m.type == StatusType::server) {
        sc.from_status = std::string(to_string(n.server_status));
        n.server_status = *parse_server_status(m.to);
      } else {
        sc.from_status = std::string(to_string(n.client_status));
        n.client_status = *parse_client_status(m.to);
      }
      rows.push_back(sc);
    }
    apply(wf, {&n}, rows);
  }

  void apply(const Workflow& wf, std::vector<const Node*> changed, std::vector<StatusChange> rows,
             std::vector<Uuid> created = {}) {
    WriteSet ws;
    for (const Node* n : changed) {
      if (std::find(created.begin(), created.end(), n->id) != created.end())
        ws.put_new_node(*n);
      else
        ws.put_node(*n);
    }
    for (const StatusChange& sc : rows) ws.add_status_change(wf.id, sc);
    index::index_nodes(ws, wf, changed, created, rows);
    write(std::move(ws));
  }

  std::vector<Uuid> workflows(const Uuid& user, SearchFilter f = {}, PageRequest p = {}) {
    std::vector<Uuid> out;
    for (const Workflow& wf : must(search_workflows(*store, user, f, p)).rows) out.push_back(wf.id);
    return out;
  }

  std::vector<Uuid> nodes(const Uuid& user, SearchFilter f = {}, PageRequest p = {}) {
    std::vector<Uuid> out;
    for (const NodeHit& hit : must(search_nodes(*store, user, f, p)).rows) {
      BOOST_TEST((hit.workflow.id == hit.node.workflow_id));
      out.push_back(hit.node.id);
    }
    return out;
  }
};

inline SearchFilter current(std::string s) {
  SearchFilter f;
  f.current_status = std::move(s);
  return f;
}

inline SearchFilter past(std::string s) {
  SearchFilter f;
  f.past_status = std::move(s);
  return f;
}

using Ids = std::vector<Uuid>;

}  // namespace backbeat::storage::test
