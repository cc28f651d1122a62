// @brief The editor's conflict report: text, Markdown, JSON lines, one-file HTML.
//
// All renderers show the same content: per conflict the fact, each source's
// sentence with the number highlighted, outlet, publication date, as_of, the
// explanation, the suggestion and the review status. JSON is one conflict
// record per line in the shape of docs/claims-format.md ("The conflict record").
//
//   std::string html = render_report(conflicts, "html");
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/crosscheck.h"

namespace claimcheck {

struct ReportOptions {
  std::string title = "claimcheck: conflicts between sources";
  std::string inputs;  // what was checked, shown under the title ("corpus/ (41 articles)")
};

// The conflict record (id, fingerprint, kind, severity, subject, metric,
// claims, explanation, suggestion, status, note).
nlohmann::ordered_json conflict_to_json(const Conflict& c);

std::string render_text(const std::vector<Conflict>& cs, const ReportOptions& opt = {});
std::string render_markdown(const std::vector<Conflict>& cs, const ReportOptions& opt = {});
std::string render_jsonl(const std::vector<Conflict>& cs);
std::string render_html(const std::vector<Conflict>& cs, const ReportOptions& opt = {});
// format: text, md, json, html. Throws std::invalid_argument on another.
std::string render_report(const std::vector<Conflict>& cs, const std::string& format, const ReportOptions& opt = {});

std::string html_escape(std::string_view s);
// Byte span [first, second) of the claim's number inside its quote
// ({npos, npos} when it cannot be found).
std::pair<size_t, size_t> number_span(const Claim& c);

}  // namespace claimcheck
