// @brief Running the examples that every rule carries (the rules prove themselves).
//
// A positive example ("example PUBLISHED | sentence => field=value ...") passes
// when the extractor, run on the sentence with that publication date, gives a
// claim from this rule (for a time rule: dated by this rule) whose fields equal
// every field listed. A counter-example passes when the rule gives no claim.
#pragma once

#include <string>
#include <vector>

#include "core/ruleset.h"

namespace claimcheck {

struct ExampleFailure {
  std::string where;    // file:line
  std::string rule;
  std::string message;  // what was expected and what came out
};

std::vector<ExampleFailure> run_examples(const RuleSet& rules, const Rule& rule);

}  // namespace claimcheck
