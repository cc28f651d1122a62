// @brief From an article to claim records: the extraction pipeline.
//
// text -> repair -> mentions + time expressions -> per sentence: rule matches
// (RE2::Set prefilter, then captures) -> one claim per number -> bind subject,
// period, as_of, basis -> claims with original byte offsets.
//
// An Extractor holds only a reference to an immutable RuleSet: one Extractor
// may be used from many threads at once.
//
//   Extractor ex(*rules);
//   ArticleMeta meta{.id = "000_x", .published = "2024-11-26"};
//   std::vector<Claim> claims = ex.extract(doc, meta);
#pragma once

#include <string>
#include <vector>

#include "core/claim.h"
#include "core/ruleset.h"
#include "core/text.h"

namespace claimcheck {

struct ArticleMeta {
  std::string id;              // file name without .txt
  std::string path;
  std::string published;       // ISO date, "" when unknown
  int published_minute = -1;   // minutes after midnight (local), -1 when unknown
  std::string published_from;  // sidecar, front-matter, dateline, option
  std::string source, language = "en";
  bool translated = false;
};

// The rule author's debugger: what fired, what bound, what was left out.
struct Trace {
  std::vector<std::string> lines;
  void add(std::string s) { lines.push_back(std::move(s)); }
};

class Extractor {
 public:
  explicit Extractor(const RuleSet& rules) : rules_(rules) {}
  std::vector<Claim> extract(const Document& doc, const ArticleMeta& meta, Trace* trace = nullptr) const;

 private:
  const RuleSet& rules_;
};

}  // namespace claimcheck
