// @brief Every rule's examples, one test case per rule file (the rules prove themselves).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "core/examples.h"
#include "core/ruleset.h"
#include "core/table.h"
#include "core/text.h"
#include "corpus_texts.h"
#include "temp_dir.h"

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

namespace {
// The masked spans as the text they cover, for readable failures.
std::vector<std::string> masked(const claimcheck::RuleSet& rs, const std::string& text) {
  std::vector<std::string> out;
  for (const claimcheck::Span& s : rs.boilerplate(text)) out.push_back(text.substr(s.begin, s.size()));
  return out;
}

// The shipped rules copied into tmp, with one more row in boilerplate.tsv.
std::unique_ptr<claimcheck::RuleSet> with_boilerplate_row(TempDir& tmp, const std::string& row) {
  const std::string src = std::string(CLAIMCHECK_SOURCE_DIR) + "/rules";
  std::filesystem::copy(src, tmp.path("rules"), std::filesystem::copy_options::recursive);
  std::ofstream(tmp.path("rules/tables/boilerplate.tsv"), std::ios::app) << row << "\n";
  std::vector<std::string> errors;
  auto rs = claimcheck::RuleSet::load(tmp.path("rules"), &errors);
  for (const auto& e : errors) UNSCOPED_INFO(e);
  return rs;
}
}  // namespace

TEST_CASE("rules: boilerplate lines, and the tail from a disclaimer in the second half", "[rules]") {
  const auto& rs = shipped_rules();
  const std::string story =
      "Gold rose 1.4% to $2,650 an ounce on Thursday.\n\n"
      "Treasury yields slipped 3 basis points.\n\n"
      "Oil ended the week 2% lower.\n\n";
  // Navigation, share bar and byline lines are masked wherever they are;
  // the prose between them is not.
  const std::string text = "Menu | Markets | Energy\n\n" + story + "Share | Post | Email\n\nBy Ana Ruiz and Tom Ito\n\n" + story;
  CHECK(masked(rs, text) ==
        std::vector<std::string>{"Menu | Markets | Energy", "Share | Post | Email", "By Ana Ruiz and Tom Ito"});

  // A disclaimer in the second half masks everything after it, line
  // patterns included; in the first half it masks nothing.
  const std::string tail = "Disclaimer: this is not investment advice.\nShare | Post | Email\nThe Nikkei fell 0.3%.\n";
  const std::string late = story + story + tail;
  CHECK(masked(rs, late) == std::vector<std::string>{tail});
  const std::string early = tail + story + story;
  CHECK(masked(rs, early) == std::vector<std::string>{"Share | Post | Email"});

  // Empty lines are left alone (no shipped pattern matches one), and an
  // empty text has no boilerplate.
  for (const claimcheck::Span& s : rs.boilerplate(text)) CHECK(s.size() > 0);
  CHECK(rs.boilerplate("").empty());
}

TEST_CASE("rules: boilerplate agrees with each pattern tried on each line", "[rules]") {
  // The reference: every row of boilerplate.tsv, as written, on every line;
  // a line pattern masks its line, a tail pattern in the second half masks
  // the rest. The engine groups patterns in a set, searches some across the
  // whole text, and tries those holding a rare string only where it occurs.
  claimcheck::Table t;
  std::string err;
  REQUIRE(t.load(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules/tables/boilerplate.tsv", {"pattern", "scope"}, &err));
  RE2::Options o;
  o.set_case_sensitive(false);
  o.set_max_mem(256 << 20);
  std::vector<std::pair<std::unique_ptr<RE2>, bool>> patterns;  // pattern, tail
  for (const auto& row : t.rows()) patterns.emplace_back(std::make_unique<RE2>(row.cells[0], o), row.cells[1] == "tail");
  auto reference = [&](const std::string& text) {
    std::vector<std::string> out;
    for (size_t start = 0; start < text.size();) {
      size_t end = std::min(text.find('\n', start), text.size());
      const std::string line = text.substr(start, end - start);
      bool line_hit = false, tail_hit = false;
      for (const auto& [re, tail] : patterns)
        if (RE2::PartialMatch(line, *re)) (tail ? tail_hit : line_hit) = true;
      if (line_hit) out.push_back(line);
      else if (tail_hit && start * 2 >= text.size()) {
        out.push_back(text.substr(start));
        break;
      }
      start = end + 1;
    }
    return out;
  };
  const auto& rs = shipped_rules();
  // Menus and tables: pipes with and without full stops, long and short
  // cells, case, and prose that merely holds a pipe.
  std::vector<std::string> texts = corpus_texts(20, 9);
  const std::vector<std::string> cells = {"Markets", "ENERGY", "Crypto", "Sign In", "a", "Asia Close", "Q3 2024",
                                          "1.5%", "Shares fell.", "Stocks rose 2% on Monday", "", " ", "x y z"};
  std::mt19937 rng(4);
  for (int i = 0; i < 200; ++i) {
    std::string text = "Gold rose 1.4% to $2,650 an ounce on Thursday.\n";
    for (int l = 0; l < 6; ++l) {
      const int n = static_cast<int>(rng() % 7);
      for (int c = 0; c < n; ++c) text += (c ? (rng() % 4 ? " | " : "|") : "") + cells[rng() % cells.size()];
      text += "\n";
    }
    texts.push_back(text);
  }
  size_t lines = 0;
  for (const std::string& text : texts) {
    INFO(text);
    const auto want = reference(text);
    CHECK(masked(rs, text) == want);
    lines += want.size();
  }
  CHECK(lines > 100);
}

TEST_CASE("rules: a boilerplate pattern that matches an empty line masks empty lines", "[rules]") {
  // Empty lines skip the patterns only while none of them can match one.
  TempDir tmp;
  auto rs = with_boilerplate_row(tmp, "^\\s*$\tline");
  REQUIRE(rs != nullptr);
  const std::string text = "Gold rose 1.4%.\n\nOil fell 2%.\n";
  const auto spans = rs->boilerplate(text);
  REQUIRE(spans.size() == 1);
  CHECK(spans[0].begin == 16);
  CHECK(spans[0].end == 16);
  CHECK(shipped_rules().boilerplate(text).empty());
}

TEST_CASE("rules: repairs work within a line", "[rules]") {
  const auto& rs = shipped_rules();
  claimcheck::Span line;
  // The line holding a garbled number, found from any byte before it.
  const std::string text = "Stocks rose.\nTurnover on Xetra came to 5,7 billion euros.\nThe DAX lost 1,25% on Tuesday.\n";
  REQUIRE(rs.next_repair_line(text, 0, &line));
  CHECK(text.substr(line.begin, line.size()) == "Turnover on Xetra came to 5,7 billion euros.");
  REQUIRE(rs.next_repair_line(text, line.end + 1, &line));
  CHECK(text.substr(line.begin, line.size()) == "The DAX lost 1,25% on Tuesday.");
  CHECK_FALSE(rs.next_repair_line(text, line.end + 1, &line));
  // A break between the parts: no repair ("5,7" then "billion" on the next
  // line is not one number), though \s would otherwise match the break.
  CHECK_FALSE(rs.next_repair_line("Turnover came to 5,7\n\nbillion euros in all.", 0, &line));
  CHECK_FALSE(rs.next_repair_line("The index won 21,\n4 percent.", 0, &line));
  CHECK(rs.next_repair_line("The index won 21, 4 percent.", 0, &line));
  for (const claimcheck::Rule* r : rs.repair_rules()) {
    INFO(r->id);
    CHECK_FALSE(RE2::PartialMatch("5,7\nbillion 21,\n4 percent 38\n937.54 3.\n1%", *r->re));
  }
}

TEST_CASE("rules: a repair pattern that reads the text's ends is refused at load", "[rules]") {
  for (const std::string& pattern : {std::string("^(\\d+)x"), std::string("(\\d+)x$"), std::string("\\A(\\d)"), std::string("(\\d)\\z")}) {
    TempDir tmp;
    std::filesystem::copy(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules", tmp.path("rules"), std::filesystem::copy_options::recursive);
    std::ofstream(tmp.path("rules/garbles/anchored.rules"))
        << "FORMAT: claimcheck-rules/1\nrule repair.anchored\n  kind    repair\n  match   " << pattern << "\n  replace \\1\n"
        << "  example 2024-10-09 | The DAX rose 3x. => subject=DAX\n";
    std::vector<std::string> errors;
    auto rs = claimcheck::RuleSet::load(tmp.path("rules"), &errors);
    CHECK(rs == nullptr);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("anchored.rules:2: rule repair.anchored") != std::string::npos);
    CHECK(errors[0].find("within a line") != std::string::npos);
  }
  // A caret that negates a class, and an escaped dollar, are not anchors.
  TempDir tmp;
  std::filesystem::copy(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules", tmp.path("rules"), std::filesystem::copy_options::recursive);
  std::ofstream(tmp.path("rules/garbles/classes.rules"))
      << "FORMAT: claimcheck-rules/1\nrule repair.classes\n  kind    repair\n  match   \\$([^a-z])\\$\n  replace \\1\n"
      << "  example 2024-10-09 | The DAX rose 3%. => subject=DAX\n";
  std::vector<std::string> errors;
  CHECK(claimcheck::RuleSet::load(tmp.path("rules"), &errors) != nullptr);
  for (const auto& e : errors) INFO(e);
  CHECK(errors.empty());
}

TEST_CASE("rules: a factored alternation reads as the plain one", "[rules]") {
  using claimcheck::alternation;
  using claimcheck::factored_alternation;
  // Prefixes shared, longer surfaces before their prefix.
  CHECK(factored_alternation({"fell", "fall", "falls"}) == "(?:f(?:all(?:s)?|ell))");
  CHECK(factored_alternation({"s&p 500", "s&p"}) == "(?:s\\&p(?:[\\s-]+500)?)");
  // Where the order of preference could differ, the plain alternation.
  CHECK(factored_alternation({"a - - b", "a b c"}) == alternation({"a - - b", "a b c"}));
  CHECK(factored_alternation({"Dow", "dow jones"}) == alternation({"Dow", "dow jones"}));
  CHECK(factored_alternation({"índice", "indice"}) == alternation({"índice", "indice"}));

  // Random surfaces over a small alphabet: at every place of random texts,
  // the same match and the same extent of the alternation, with patterns
  // after it that make the matcher back off to shorter surfaces.
  std::mt19937 rng(7);
  const std::string alphabet = "ab -";
  auto random_string = [&](size_t max_len, const std::string& chars) {
    std::string s(rng() % (max_len + 1), ' ');
    for (char& c : s) c = chars[rng() % chars.size()];
    return s;
  };
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> surfaces;
    for (int k = 1 + static_cast<int>(rng() % 8); k > 0; --k) surfaces.push_back(random_string(5, alphabet));
    const std::string plain = alternation(surfaces), factored = factored_alternation(surfaces);
    INFO("surfaces -> " << plain << " vs " << factored);
    for (const std::string& after : {std::string(""), std::string("b"), std::string("(?:a|b -)c"), std::string("$")}) {
      RE2 p("(" + plain + ")" + after, RE2::Quiet), f("(" + factored + ")" + after, RE2::Quiet);
      REQUIRE(p.ok());
      REQUIRE(f.ok());
      for (int t = 0; t < 20; ++t) {
        const std::string text = random_string(9, "ab -c");
        for (size_t pos = 0; pos <= text.size(); ++pos) {
          re2::StringPiece mp[2], mf[2];
          const bool hp = p.Match(text, pos, text.size(), RE2::ANCHOR_START, mp, 2);
          const bool hf = f.Match(text, pos, text.size(), RE2::ANCHOR_START, mf, 2);
          INFO("text '" << text << "' at " << pos << " after " << after);
          REQUIRE(hp == hf);
          if (hp) {
            CHECK(mp[0].size() == mf[0].size());
            CHECK(mp[1].size() == mf[1].size());
          }
        }
      }
    }
  }
}

TEST_CASE("rules: a lexicon class knows the first word of each of its surfaces", "[rules]") {
  // The extractor skips the anaphor lookups at a word no surface begins with;
  // the test is only sound if every surface's first word is there.
  const auto& rs = shipped_rules();
  const auto* anaphors = rs.lexicon("ANAPHOR");
  REQUIRE(anaphors != nullptr);
  CHECK(anaphors->may_begin("the"));
  CHECK(anaphors->may_begin("shares"));
  CHECK_FALSE(anaphors->may_begin("index"));  // "the index" begins with "the"
  CHECK_FALSE(anaphors->may_begin(""));
  for (const char* cls : {"ANAPHOR", "VERB_UP", "VERB_DOWN", "QUALIFIER", "UNIT", "MONTH"}) {
    const auto* lc = rs.lexicon(cls);
    INFO(cls);
    REQUIRE(lc != nullptr);
    for (const auto& [key, value] : lc->entries) {
      INFO(key);
      CHECK(lc->may_begin(key.substr(0, key.find(' '))));
    }
  }
  CHECK(rs.lexicon("NO_SUCH_CLASS") == nullptr);
}

TEST_CASE("rules: which patterns are anchored at the start", "[rules]") {
  using claimcheck::anchored_at_start;
  CHECK(anchored_at_start(R"(^\s*menu\b)"));
  CHECK(anchored_at_start(R"(^(home|menu)\s*(\||$))"));  // the | is inside a group
  CHECK(anchored_at_start(R"(^[|]+\s*$)"));
  CHECK(anchored_at_start(R"(^\|x)"));                    // an escaped |
  CHECK_FALSE(anchored_at_start(R"(^\|x|)"));             // then a real one: an empty alternative
  CHECK(anchored_at_start(R"(^[]|]a)"));                  // ] first in a class is a member
  CHECK_FALSE(anchored_at_start(R"(^\s*©|all rights reserved)"));
  CHECK_FALSE(anchored_at_start(R"(all rights reserved)"));
  CHECK_FALSE(anchored_at_start(R"((^a))"));
  CHECK_FALSE(anchored_at_start(R"((?m)^a)"));
  CHECK_FALSE(anchored_at_start(""));
}

TEST_CASE("rules: boilerplate patterns not anchored at a line's start", "[rules]") {
  // They are searched over the whole text (a string every match holds, or
  // the pattern unable to cross a line), then confirmed on the line.
  const auto& rs = shipped_rules();
  const std::string story = "Gold rose 1.4% to $2,650 an ounce on Thursday.\n\nOil ended the week 2% lower.\n\n";
  const std::string text = story + "Copyright 2024 Example Media. ALL RIGHTS RESERVED.\n\n" + story +
                           "All rights\treserved here too\n\nall rights reserved\n";
  // The second line holds the words with a tab between them: the pattern
  // wants a space, and the line stays.
  CHECK(masked(rs, text) == std::vector<std::string>{"Copyright 2024 Example Media. ALL RIGHTS RESERVED.", "all rights reserved"});
  // RE2 reads the long s as an s when case does not matter: such text is
  // searched with the pattern itself, and the line is masked all the same.
  CHECK(masked(rs, story + "All rights re\xC5\xBF" "erved.\n") == std::vector<std::string>{"All rights re\xC5\xBF" "erved."});

  // One that reads a line's end ($) is matched line by line: the end of the
  // line is the end of its text.
  TempDir tmp;
  auto custom = with_boilerplate_row(tmp, "reprinted with permission\\.?$\tline");
  REQUIRE(custom != nullptr);
  const std::string reprint = story + "This story is reprinted with permission.\nReprinted with permission by the desk, it ran twice.\n";
  CHECK(masked(*custom, reprint) == std::vector<std::string>{"This story is reprinted with permission."});
}
