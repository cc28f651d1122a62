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

// Where extraction's time goes, stage by stage, summed over the articles
// given to extract() (`claimcheck bench --stages`). Each stage's clock
// reads run only when a StageTimes is given.
struct StageTimes {
  enum Stage {
    kNormalize,    // UTF-8 check and normalization (Document::from_bytes; the caller times it)
    kBoilerplate,  // wrapped lines joined, navigation and disclaimers masked
    kRepairs,      // garbled numbers found and rewritten
    kNames,        // gazetteer names (find_mentions)
    kSentences,    // paragraphs picked, sentence breaks
    kFilters,      // the literal filters: which rules can match a sentence
    kTries,        // the claim rules run where they can match
    kTimes,        // time expressions found and resolved
    kBinding,      // one claim per number, subject, period, as_of, records
    kCount
  };
  static constexpr const char* kName[kCount] = {"normalize", "boilerplate", "repairs",   "names",  "sentences",
                                                "filters",   "rule tries",  "time words", "binding"};
  double seconds[kCount] = {};
  void add(const StageTimes& o) {
    for (int i = 0; i < kCount; ++i) seconds[i] += o.seconds[i];
  }
  double total() const {
    double t = 0;
    for (double x : seconds) t += x;
    return t;
  }
};

class Extractor {
 public:
  explicit Extractor(const RuleSet& rules) : rules_(rules) {}
  // With `times`, each stage's time is added to it.
  std::vector<Claim> extract(const Document& doc, const ArticleMeta& meta, Trace* trace = nullptr,
                             StageTimes* times = nullptr) const;

 private:
  const RuleSet& rules_;
};

}  // namespace claimcheck
