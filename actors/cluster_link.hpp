#pragma once
// What the API needs of the cluster (docs/cluster.md): where a partition
// lives, and a way to run a request on another member. Implemented by the
// node agent in runtime/cluster/; null in Services on a single node, where
// every partition is local. Every member function is thread-safe: HTTP
// threads call them.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "net/http_message.hpp"
#include "engine/model.hpp"
#include "storage/records.hpp"

namespace backbeat::actors {

// Set on requests one member sends another, so the receiver neither
// forwards them again nor scatters them: "<member> <epoch>".
inline constexpr const char* kForwardedHeader = "X-Backbeat-Forwarded";

struct Placement {
  enum class Kind {
    local,        // this member owns the partition: run the request here
    remote,       // `owner` does, and is up: forward it there
    unavailable,  // the owner is down, or the partition is moving: 503
  };
  Kind kind = Kind::local;
  uint32_t partition = 0;
  std::string owner;   // member id
  uint64_t epoch = 0;  // of the partition's assignment, as this member knows it
  std::string reason;  // for unavailable: said in the 503
};

// One member's answer to a gathered request.
struct MemberAnswer {
  std::string member;
  bool ok = false;            // false: no answer in time, or the member is down
  net::HttpResponse response;  // when ok
  std::string error;           // when !ok
};

class ClusterLink {
 public:
  virtual ~ClusterLink() = default;

  virtual const std::string& self_id() const = 0;
  virtual uint32_t partitions() const = 0;
  virtual Placement place(uint32_t partition) const = 0;
  // Which partitions place() calls local, by partition, read at once: a
  // listing answers from these alone (docs/cluster.md, "Searches"), and
  // judges a whole scan by one map. Implementations that can read their
  // map once should.
  virtual std::vector<bool> owned_partitions() const {
    std::vector<bool> owned(partitions());
    for (uint32_t p = 0; p < owned.size(); ++p) owned[p] = place(p).kind == Placement::Kind::local;
    return owned;
  }

  // Runs `request` on `placement.owner` and answers with its response, or
  // with a 503 JSON error if it does not answer in time.
  virtual void forward(const Placement& placement, net::HttpRequest request,
                       net::Responder respond) const = 0;

  // Runs `request` on every member believed up, this one included, marked
  // as forwarded; `done` gets one answer per member, in member id order.
  virtual void gather(net::HttpRequest request,
                      std::function<void(std::vector<MemberAnswer>)> done) const = 0;

  // Where requests about member `id` itself run: here, forwarded to it, or
  // unavailable while it is down; nullopt for a member nobody knows.
  virtual std::optional<Placement> place_member(const std::string& id) const = 0;

  // Marks this member as draining (its partitions are moved to the others)
  // or not, durably; `done` gets "" once recorded, else why not.
  virtual void set_draining(bool on, std::function<void(std::string)> done) const = 0;

  // Hands a link update (an outbox record of kind link) to the workflow of
  // its target on `placement.owner`. `done(true)` once the owner's batch
  // applying it is durable; false if it refused, is not the owner, or did
  // not answer in time: the sender keeps its record and tries again.
  virtual void deliver_link(const Placement& placement, const storage::OutboxEntry& link,
                            std::function<void(bool applied)> done) const = 0;

  // A user created here: every other member stores it too.
  virtual void share_user(const User& user) const = 0;

  // Members, their state and load, and the partition map (GET /admin/cluster).
  virtual nlohmann::json status() const = 0;
};

}  // namespace backbeat::actors
