#pragma once
// Records <-> bytes, as Cap'n Proto flat arrays (schema/records.capnp).
// Decoding treats its input as untrusted: anything that is not a well-formed
// record of the asked-for kind comes back as a corruption Error.
#include <string>
#include <string_view>

#include "engine/model.hpp"
#include "engine/result.hpp"
#include "storage/records.hpp"

namespace backbeat::storage {

// Fails only when a field exceeds Cap'n Proto's limits (a text over 512 MiB).
Result<std::string> encode(const User& user);
Result<std::string> encode(const Workflow& workflow);
Result<std::string> encode(const Node& node);
Result<std::string> encode(const StatusChange& change);
Result<std::string> encode(const OutboxEntry& entry);

// Defined for exactly the record types encode() accepts.
template <class T>
Result<T> decode(std::string_view bytes);

template <> Result<User> decode<User>(std::string_view bytes);
template <> Result<Workflow> decode<Workflow>(std::string_view bytes);
template <> Result<Node> decode<Node>(std::string_view bytes);
template <> Result<StatusChange> decode<StatusChange>(std::string_view bytes);
template <> Result<OutboxEntry> decode<OutboxEntry>(std::string_view bytes);

}  // namespace backbeat::storage
