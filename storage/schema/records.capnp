@0xc22fd3a8439752ea;
# Records Backbeat keeps in RocksDB. Field numbers are forever: add fields at
# the end, never renumber, so data written by older builds stays readable.
using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("backbeat::schema");

struct Uuid {
  hi @0 :UInt64;
  lo @1 :UInt64;
}

struct User {
  id @0 :Uuid;
  name @1 :Text;
  decisionEndpoint @2 :Text;
  activityEndpoint @3 :Text;
  notificationEndpoint @4 :Text;
  authToken @5 :Text;         # plaintext, only in records from before tokenKey
  createdAt @6 :Int64;
  tokenKey @7 :Data;           # HMAC-SHA256 key of the token (actors/secrets.hpp)
  tokenDigest @8 :Data;        # HMAC-SHA256(tokenKey, token)
  disabled @9 :Bool;
  grants @10 :List(Uuid);      # users this one may involve
  version @11 :UInt64;         # 0 in records from before it: read as 1
}

struct Workflow {
  id @0 :Uuid;
  userId @1 :Uuid;
  name @2 :Text;
  decider @3 :Text;
  subject @4 :Text;
  complete @5 :Bool;
  paused @6 :Bool;
  createdAt @7 :Int64;
  updatedAt @8 :Int64;
  nextSeq @9 :UInt64;
}

struct LinkRef {
  nodeId @0 :Uuid;
  finished @1 :Bool;
}

struct Node {
  id @0 :Uuid;
  workflowId @1 :Uuid;
  userId @2 :Uuid;
  parentId @3 :Uuid;          # absent when hasParent is false
  hasParent @4 :Bool;
  parentLinkId @5 :Uuid;
  hasParentLink @6 :Bool;
  name @7 :Text;
  mode @8 :UInt8;             # backbeat::Mode
  legacyType @9 :Text;
  serverStatus @10 :UInt8;    # backbeat::ServerStatus
  clientStatus @11 :UInt8;    # backbeat::ClientStatus
  seq @12 :UInt64;
  firesAt @13 :Int64;
  completeBy @14 :Int64;
  hasCompleteBy @15 :Bool;
  retriesRemaining @16 :Int32;
  retryIntervalS @17 :Int64;
  retriesMade @18 :Int32;
  clientData @19 :Text;
  metadata @20 :Text;
  links @21 :List(LinkRef);
  statusChangeCount @22 :UInt32;
  callbackPending @23 :Bool;
  createdAt @24 :Int64;
  updatedAt @25 :Int64;
  attempt @26 :UInt32;
  timeoutS @27 :Int64;
  hasTimeout @28 :Bool;
  pastStatuses @29 :UInt32;   # status_word_bit of every status its rows reached
  activityType @30 :Text;     # empty: sent to the client's endpoint
  createdBy @31 :Uuid;        # the requester that made it; nil before it was kept
}

struct StatusChange {
  nodeId @0 :Uuid;
  index @1 :UInt32;
  type @2 :UInt8;             # backbeat::StatusType
  fromStatus @3 :Text;
  toStatus @4 :Text;
  response @5 :Text;
  createdAt @6 :Int64;
}

# A message that must reach its destination at least once: a notification
# to a user's endpoint, or a link update to another workflow.
struct OutboxEntry {
  id @0 :Uuid;
  url @1 :Text;
  body @2 :Text;
  attempts @3 :UInt32;
  createdAt @4 :Int64;
  kind @5 :UInt8;             # storage::OutboxEntry::Kind
  targetNode @6 :Uuid;        # link messages: the node named as parent_link_id
  linkNode @7 :Uuid;          # ... and the node naming it
  finished @8 :Bool;
  workflowId @9 :Uuid;        # the workflow whose change wrote it; absent before retention
  byUser @10 :Uuid;           # links: who set parent_link_id; nil before it was kept
}
