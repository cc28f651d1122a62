// @brief The claim record: one numeric claim found in one article.
//
// The fields follow ../shared/docs/claims-format.md (mirrored in docs/claims-format.md).
// A Claim is plain data: the extractor fills it, sinks (JSONL printer, SQLite
// store, cross-check) read it. Dates are ISO strings ("" means null) so that a
// claim round-trips through JSON and SQL without a date library.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace claimcheck {

struct Claim {
  std::string article;        // file name without .txt
  long long start = 0;        // byte offsets into the original file bytes
  long long end = 0;
  std::string quote;          // original bytes [start, end)
  std::string subject;        // canonical id (RUT, SPX, ...) or "OTHER:<name>"
  std::string metric;         // level, change_pct, change_abs, record_level, market_cap, ...
  double value = 0;
  std::string unit = "none";  // pct, points, bp, usd, count, ratio, none
  std::string qualifier = "exact";
  double lo = 0, hi = 0;      // interval allowed by stated precision and qualifier
  std::string period_start, period_end;  // ISO dates or ""
  std::string as_of;                     // ISO date or ""
  std::string as_of_basis;               // sentence, context, publication, or "" when as_of is null
  std::string basis = "unspecified";     // close, intraday, open, unspecified
  std::string event_date;                // ISO date or ""
  bool record = false;
  double confidence = 0;
  std::string rule;
  std::vector<std::string> flags;        // garbled_date, garbled_number, as_of_uncertain, ...
  std::string alt_event_date;            // alternative reading of a garbled date, or ""
  std::optional<double> alt_value;       // alternative reading of a garbled number
  std::string text;                      // the number as written (normalized text)
  std::vector<std::string> time_rules;   // time rules that dated it (provenance, not printed)

  bool has_flag(const std::string& f) const;
};

}  // namespace claimcheck
