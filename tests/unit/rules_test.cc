// @brief Every rule's examples, one test case per rule file (the rules prove themselves).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "core/examples.h"
#include "core/ruleset.h"

namespace {
const claimcheck::RuleSet& shipped_rules() {
  static std::unique_ptr<claimcheck::RuleSet> rs = [] {
    std::vector<std::string> errors;
    auto r = claimcheck::RuleSet::load(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules", &errors);
    for (const auto& e : errors) UNSCOPED_INFO(e);
    return r;
  }();
  return *rs;
}
}  // namespace

TEST_CASE("rules: the shipped rules load without errors", "[rules]") {
  std::vector<std::string> errors;
  auto r = claimcheck::RuleSet::load(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules", &errors);
  for (const auto& e : errors) INFO(e);
  REQUIRE(errors.empty());
  REQUIRE(r != nullptr);
  CHECK(r->claim_rules().size() >= 20);
  CHECK(r->timex_rules().size() >= 10);
}

TEST_CASE("rules: every example and counter-example holds", "[rules]") {
  const auto& rs = shipped_rules();
  std::map<std::string, std::vector<const claimcheck::Rule*>> by_file;
  for (const auto& r : rs.rules()) by_file[r->file].push_back(r.get());
  for (const auto& [file, rules] : by_file) {
    DYNAMIC_SECTION(file) {
      for (const auto* r : rules) {
        for (const auto& f : claimcheck::run_examples(rs, *r)) FAIL_CHECK(f.where << ": rule " << f.rule << ": " << f.message);
      }
    }
  }
}

TEST_CASE("rules: rule examples cover several subjects per rule", "[rules]") {
  // A rule written for one sentence would show one subject only.
  for (const auto& r : shipped_rules().rules()) {
    if (r->kind != "claim" || r->examples.size() < 2) continue;
    std::set<std::string> subjects, dates;
    for (const auto& e : r->examples) {
      dates.insert(e.published);
      for (const auto& [k, v] : e.expect)
        if (k == "subject") subjects.insert(v);
    }
    INFO(r->file << ":" << r->line << ": rule " << r->id);
    // A rule that names its subject outright must still prove itself on
    // different wordings and dates.
    const bool literal = !r->subject_template.empty() && r->subject_template.find('{') == std::string::npos;
    if (literal) CHECK(dates.size() >= 2);
    else CHECK(subjects.size() >= 2);
  }
}

TEST_CASE("rules: the prefilter's loosened repeats", "[rules]") {
  using claimcheck::loosen_repeats;
  CHECK(loosen_repeats(R"(a.{0,80}?b)") == R"(a.{0,}?b)");
  CHECK(loosen_repeats(R"((?:\w+\s+){0,2}?x\d{1,3}y\d{4})") == R"((?:\w+\s+){0,}?x\d{1,}y\d{4})");
  CHECK(loosen_repeats(R"([{0,3}]\{0,3}[]{1,2}]{2,5})") == R"([{0,3}]\{0,3}[]{1,2}]{2,})");
  CHECK(loosen_repeats(R"([^]{0,3}]x{,3}{a,b})") == R"([^]{0,3}]x{,3}{a,b})");
  CHECK(loosen_repeats("") == "");
}

TEST_CASE("rules: the prefilter lets through every rule that matches", "[rules]") {
  // Each example sentence, claim and time rules alike: a rule whose exact
  // pattern matches must be among the prefilter's hits, and among the
  // literal filter's candidates (tests/unit/literals_test.cc).
  const auto& rs = shipped_rules();
  size_t checked = 0;
  for (const auto& r : rs.rules()) {
    for (const auto& e : r->examples) {
      std::vector<int> claim_hits, timex_hits, claim_cands, timex_cands;
      rs.match_claim_rules(e.sentence, &claim_hits);
      rs.match_timex_rules(e.sentence, &timex_hits);
      rs.claim_candidates(e.sentence, &claim_cands);
      rs.timex_candidates(e.sentence, &timex_cands);
      for (size_t i = 0; i < rs.claim_rules().size(); ++i) {
        if (!RE2::PartialMatch(e.sentence, *rs.claim_rules()[i]->re)) continue;
        INFO(e.file << ":" << e.line << ": " << rs.claim_rules()[i]->id);
        CHECK(std::count(claim_hits.begin(), claim_hits.end(), static_cast<int>(i)) == 1);
        CHECK(std::count(claim_cands.begin(), claim_cands.end(), static_cast<int>(i)) == 1);
        ++checked;
      }
      for (size_t i = 0; i < rs.timex_rules().size(); ++i) {
        if (!RE2::PartialMatch(e.sentence, *rs.timex_rules()[i]->re)) continue;
        INFO(e.file << ":" << e.line << ": " << rs.timex_rules()[i]->id);
        CHECK(std::count(timex_hits.begin(), timex_hits.end(), static_cast<int>(i)) == 1);
        CHECK(std::count(timex_cands.begin(), timex_cands.end(), static_cast<int>(i)) == 1);
        ++checked;
      }
    }
  }
  CHECK(checked > 300);
}
