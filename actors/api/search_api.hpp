#pragma once
// Read-only listings served from the search indexes (storage/search.hpp):
// workflow and activity search (docs/contract.md §12.1, §12.2, §19), workflow
// names (docs/contract.md §9.1) and the debug error listing
// (docs/contract.md §9.3). Declared apart from handlers.hpp so the search
// feature stays in its own two files.
#include <string_view>

#include "actors/api/call.hpp"
#include "storage/search.hpp"

namespace backbeat::actors::api {

// The filter and page a search asks for; `text_key` is the substring filter
// of the listing (subject for workflows, metadata for activities). Unknown
// parameters are a 400 that names them.
struct SearchQuery {
  storage::SearchFilter filter;
  storage::PageRequest page;
};
Result<SearchQuery> search_query(const nlohmann::json& params, std::string_view text_key);
// A 400 (Backbeat::PageTooDeep) for a page that ends past `max_depth` rows:
// reaching it would walk every row before it; last_id seeks instead.
Status page_within(const storage::PageRequest& page, size_t max_depth);

void search_workflows(Call call);
void search_activities(Call call);
void workflow_names(Call call);
void error_workflows(Call call);  // /v2/debug/error_workflows only

}  // namespace backbeat::actors::api
