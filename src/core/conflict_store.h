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
//   CheckInput in;
//   auto conflicts = check_database(store, {.calendar = &rules.calendar()}, &in);
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "core/crosscheck.h"
#include "core/store.h"

namespace claimcheck {

// What the conflicts returned point into: the claims they cite and the
// articles, at stable addresses.
struct CheckInput {
  std::deque<Claim> claims;
  std::deque<std::deque<Claim>> parts;  // check_database: the cited claims, one part per subject
  std::deque<ArticleInfo> articles;
  size_t checked = 0;  // claims read by check_database
};
// Replaces the stored conflicts by `cs` in one transaction, keeping the id of
// every fingerprint already stored; sets each conflict's id, status and note.
void save_conflicts(Store& store, std::vector<Conflict>* cs);
// The stored conflicts with their reviews, in id order. `in` owns the claims.
std::vector<Conflict> load_conflicts(Store& store, CheckInput* in);
// The whole check of a database: load, find_conflicts (subject by subject,
// so memory follows the largest subject, not the corpus), save. Returns the
// conflicts with their database ids, reviews applied. This thread reads the
// claims; subjects are checked, and the conflicts' claims serialized for
// saving, on worker threads (`threads`, 0: one per core); the result does not
// depend on their number.
std::vector<Conflict> check_database(Store& store, const CheckOptions& opt, CheckInput* in, int threads = 0);
// Records an editor's decision for conflict `id`. False when there is no such id.
bool set_review(Store& store, long long id, const std::string& status, const std::string& note);

}  // namespace claimcheck
