#pragma once
// Fixed records for the presenter and tree tests: known ids and times so the
// expected JSON can be written out literally.
#include <string>

#include "engine/model.hpp"

namespace json_fixtures {

using namespace backbeat;

// 2016-03-02T17:04:05.123Z
inline constexpr Millis kT = 1456938245123;

inline Uuid id(const char* last12) {
  return Uuid::parse(std::string("00000000-0000-4000-8000-") + last12).value();
}

inline Workflow workflow() {
  Workflow wf;
  wf.id = id("00000000000a");
  wf.user_id = id("0000000000f1");
  wf.name = "export";
  wf.decider = "ExportDecider";
  wf.subject = R"({"order_id":5,"line_items":[{"sku_code":"x"}],"b":1,"a":2})";
  wf.created_at = kT;
  wf.updated_at = kT + 1000;
  return wf;
}

inline Node node(const char* last12, const Workflow& wf) {
  Node n;
  n.id = id(last12);
  n.workflow_id = wf.id;
  n.user_id = wf.user_id;
  n.name = std::string("node-") + last12;
  n.created_at = kT + 1;
  return n;
}

}  // namespace json_fixtures
