// @brief Scoring extracted claims against a gold folder (the seeds' gold shape).
//
// The matching is the one ../shared/tools/score.py uses, so the figures agree
// with how the project is judged: a gold claim is found by a prediction in the
// same article with the same subject, metric (level/record_level interchange
// when the gold says record) and value, whose span overlaps the gold quote.
// Recall counts the chosen tier; precision counts a prediction right when it
// matches a gold claim of any tier.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/claim.h"

namespace claimcheck {

struct GoldClaim {
  Claim c;
  std::string tier = "must";
};

struct EvalResult {
  size_t gold = 0, predicted = 0, found = 0, correct = 0;
  size_t as_of_ok = 0, as_of_n = 0, period_ok = 0, period_n = 0;
  std::vector<GoldClaim> missed;
  std::vector<Claim> extra;
  std::vector<std::pair<GoldClaim, Claim>> wrong_as_of, wrong_period;
  double recall() const { return gold ? double(found) / gold : 0; }
  double precision() const { return predicted ? double(correct) / predicted : 0; }
  double as_of() const { return as_of_n ? double(as_of_ok) / as_of_n : 1; }
  double period() const { return period_n ? double(period_ok) / period_n : 1; }
};

// articles: id -> original bytes (to locate gold quotes).
EvalResult evaluate(const std::vector<GoldClaim>& gold, const std::vector<Claim>& predicted,
                    const std::map<std::string, std::string>& articles, const std::string& tier);

// Reads GOLD_DIR/claims.jsonl; throws std::runtime_error with file:line.
std::vector<GoldClaim> read_gold_claims(const std::string& path);

}  // namespace claimcheck
