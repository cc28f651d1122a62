// @brief Cross-check results in the database: conflicts by fingerprint, reviews.
//
// The `check` of a database reads every stored claim with its article's
// context, runs find_conflicts(), and stores the result so that:
//   - a conflict keeps its id while the same claims disagree the same way
//     (rows are matched by fingerprint; new ones are added, vanished ones go);
//   - an editor's review (confirmed/dismissed + note) is kept by fingerprint in
//     `reviews`, so it survives re-ingest and re-check;
//   - `report` can render the stored conflicts without re-extracting: each
//     conflict row holds its claim records, with the outlet and publication
//     date of their articles.
//
//   CheckSummary sum = check_database(store, {.calendar = &rules.calendar()});
//   CheckInput in;
//   auto conflicts = load_conflicts(store, &in);
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "core/crosscheck.h"
#include "core/store.h"

namespace claimcheck {

// What loaded conflicts point into: the claims they cite and the articles,
// at stable addresses.
struct CheckInput {
  std::deque<Claim> claims;
  std::deque<ArticleInfo> articles;
};
// What check_database did.
struct CheckSummary {
  bool full = true;      // every subject checked (else those marked dirty)
  size_t subjects = 0;   // subjects checked
  size_t checked = 0;    // claims read
  size_t found = 0;      // conflicts among the subjects checked
  size_t conflicts = 0;  // conflicts in the database afterwards, all subjects
  std::map<std::string, size_t> by_severity;  // of those
};
// Which subjects a check reads.
struct CheckScope {
  // What the check's results depend on: check_signature(). Stored with the
  // conflicts; "" stores nothing.
  std::string signature;
  // Only the subjects whose claims changed since the last check (the
  // dirty_subjects table), when that check had this same signature; else all.
  bool incremental = false;
};
// The running claimcheck binary and every file under `rules_dir`, hashed;
// "" when one cannot be read.
std::string check_signature(const std::string& rules_dir);
// The stored conflicts with their reviews, high severity first, then by id.
// `in` owns the claims.
std::vector<Conflict> load_conflicts(Store& store, CheckInput* in);
// The check of a database, streamed: every subject, or with an incremental
// scope only the subjects marked dirty since the last check (conflicts never
// span subjects, so the rows of the other subjects stand as they are). The
// claims are read subject by subject on the calling thread, each subject is
// checked (find_conflicts) and its conflicts serialized on worker threads (`threads`, 0: one per core),
// and the conflicts are written in subject order as they come, in one
// transaction. Nothing is kept, so memory follows the subjects in flight,
// not the database or the number of conflicts; the stored rows do not depend
// on the number of threads. The marks are cleared and the scope's signature
// stored in the same transaction. Read the rows back with load_conflicts().
CheckSummary check_database(Store& store, const CheckOptions& opt, int threads = 0, const CheckScope& scope = {});
// Records an editor's decision for conflict `id`. False when there is no such id.
bool set_review(Store& store, long long id, const std::string& status, const std::string& note);

}  // namespace claimcheck
