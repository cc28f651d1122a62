// @brief The cross-source check: claim records in, conflict records out.
//
// A pure library: no I/O, no database. The caller (the `check` command, later
// the store) hands over claims with the context of their article; the engine
// groups them by fact key with a hash of the key (never all pairs across the
// corpus) and compares within a group only.
//
//   Face value first: a claim is compared at the date its own sentence gives
//   it with its article's publication date. A claim dated only by another
//   sentence of its article (as_of_basis "context") is compared at its
//   face-value date, the last close before publication.
//   Context second: when that context date (or a level and a daily move
//   reported elsewhere) accounts for the gap, the conflict is
//   `timing_explained`, severity low, and the explanation shows the arithmetic.
//
//   std::vector<ArticleInfo> arts = ...;         // one per article
//   std::vector<ClaimRef> refs = {{&claim, &arts[0]}, ...};
//   std::vector<Conflict> cs = find_conflicts(refs, {.calendar = &rules.calendar()});
//
// Facts never span subjects, so a caller with more claims than memory can
// stream them ordered by subject and call find_conflicts() per subject (or
// per batch of whole subjects): the result is the same.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/calendar.h"
#include "core/claim.h"

namespace claimcheck {

// What the engine needs to know about the article a claim comes from.
struct ArticleInfo {
  std::string id;               // article id (file name without .txt)
  std::string source;           // outlet, "" when unknown
  std::string published;        // ISO date, "" when unknown
  int published_minute = -1;    // minutes after midnight, -1 when unknown
  std::string context_as_of;    // the article's own "figures as of" date, "" when none
  bool translated = false;
};

// A claim and its article; both owned by the caller and outliving the result.
struct ClaimRef {
  const Claim* claim = nullptr;
  const ArticleInfo* article = nullptr;
};

struct Conflict {
  long long id = 0;             // 1..n in report order (the database assigns its own)
  std::string fingerprint;      // FNV-1a 64 hex of kind, subject, metric and the sorted claims
  std::string kind;             // value_mismatch, date_mismatch, mistranslation, timing_explained
  std::string severity;         // high, medium, low
  std::string subject, metric;
  std::string fact;             // human description of the fact ("RUT change_pct 2024-11-01..2024-11-25, close")
  std::vector<ClaimRef> claims; // sorted by article, start, end
  std::string explanation;
  nlohmann::ordered_json suggestion;  // null or e.g. {"event_date": "2021-11-08"}
  std::string status = "open";
  std::string note;
};

struct CheckOptions {
  const TradingCalendar* calendar = nullptr;  // nullptr: weekends only
  double low_confidence = 0.6;                // a dissenting claim below this makes a conflict medium
};

std::vector<Conflict> find_conflicts(const std::vector<ClaimRef>& claims);
std::vector<Conflict> find_conflicts(const std::vector<ClaimRef>& claims, const CheckOptions& opt);

// An editor's decision, kept by fingerprint across re-runs (status: open, confirmed, dismissed).
struct Review {
  std::string status = "open";
  std::string note;
};
// Sets status and note of every conflict whose fingerprint has a review.
void apply_reviews(std::vector<Conflict>* conflicts, const std::unordered_map<std::string, Review>& by_fingerprint);

// FNV-1a 64-bit, as 16 lower-case hex digits.
std::string fnv1a64_hex(const std::string& s);
// The fingerprint of a conflict from its kind, subject, metric and claims
// (order of the claims does not matter).
std::string conflict_fingerprint(const Conflict& c);

// Severity rank: high 0, medium 1, low 2 (unknown 3).
int severity_rank(const std::string& s);

// Per-article context from its claims: the date the article's context
// sentences give (the as_of of its claims with as_of_basis "context").
std::string context_as_of(const std::vector<Claim>& article_claims);

}  // namespace claimcheck
