#include "actors/activity/builtins.hpp"

#include "engine/result.hpp"

namespace backbeat::activity {
namespace {

constexpr int kMaxDepth = 32;

// Each string leaf of `shape` is a JSON pointer into input; objects and
// arrays keep their shape; other leaves are taken as they are.
Result<Json> fill(const Json& shape, const Json& input, int depth) {
  auto bad = [](std::string m) { return make_error(Error::Kind::validation, std::move(m)); };
  if (depth > kMaxDepth) return bad("client_data.output is nested too deeply");
  if (shape.is_string()) {
    const std::string& text = shape.get_ref<const std::string&>();
    if (!text.empty() && text[0] != '/') return bad("'" + text + "' is not a JSON pointer");
    try {
      const Json::json_pointer pointer(text);
      if (input.contains(pointer)) return input.at(pointer);
    } catch (const Json::exception&) {
      return bad("'" + text + "' is not a JSON pointer into client_data.input");
    }
    return bad("client_data.input has nothing at '" + text + "'");
  }
  if (!shape.is_structured()) return shape;
  Json out = shape.is_object() ? Json::object() : Json::array();
  for (auto it = shape.begin(); it != shape.end(); ++it) {
    auto value = fill(*it, input, depth + 1);
    if (!value) return value;
    if (shape.is_object()) out[it.key()] = std::move(*value);
    else out.push_back(std::move(*value));
  }
  return out;
}

}  // namespace

caf::behavior TransformActivity::make(caf::event_based_actor*, const Env&) {
  return {
      [](run_atom, const Job& job) -> Outcome {
        if (!job.client_data.contains("input") || !job.client_data.contains("output"))
          return errored("client_data needs input and output");
        auto out = fill(job.client_data["output"], job.client_data["input"], 0);
        if (!out) return errored(out.error().message);
        return completed(std::move(*out));
      },
  };
}

}  // namespace backbeat::activity
