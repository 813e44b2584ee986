#pragma once
// One running Backbeat node: storage, the actor system and the HTTP front
// door, started in dependency order and stopped in the reverse one so that
// nothing accepted is lost (ARCHITECTURE invariant 2 holds across a stop:
// whatever was acknowledged is on disk; in-flight work resumes at the next
// start).
#include <cstdint>
#include <memory>
#include <string>

#include "runtime/config.hpp"
#include "engine/result.hpp"

namespace backbeat::runtime {

struct NodeSecrets {
  std::string admin_token;  // guards /users
};

class Node {
 public:
  // Blocks SIGINT and SIGTERM in the calling thread before it starts any
  // thread, so every node thread inherits the mask and only
  // wait_for_shutdown_signal() ever sees them. On error nothing is left
  // running.
  static Result<std::unique_ptr<Node>> start(const Config& config, const NodeSecrets& secrets);

  ~Node();  // stop()
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  const std::string& http_host() const;
  uint16_t http_port() const;  // the bound one, also when the config said 0
  uint16_t cluster_port() const;  // the node agent's; 0 on a single node

  // Returns the signal number once SIGINT or SIGTERM arrives.
  int wait_for_shutdown_signal();

  // From here on new commands are turned away (503 with Retry-After);
  // reads and the commands already accepted carry on until stop().
  // Idempotent, callable from any thread.
  void begin_stop();

  // begin_stop(), then HTTP (no new requests), the actors, the callback
  // client, the committer (everything acknowledged is durable) and the
  // store. Idempotent; call it from the thread that called start().
  void stop();

 private:
  struct Parts;
  explicit Node(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace backbeat::runtime
