// @brief required_literals() and LiteralFilter: what a pattern cannot match
// without, and that the filter never drops a rule that matches.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <sstream>

#include <re2/re2.h>

#include "core/literals.h"
#include "core/ruleset.h"
#include "corpus_texts.h"

using claimcheck::LiteralChain;
using claimcheck::LiteralFilter;
using claimcheck::required_literals;

namespace {

// The chain as text: steps in braces, strings joined by |, sorted.
std::string show(const LiteralChain& c) {
  std::string out;
  for (auto step : c) {
    std::sort(step.begin(), step.end());
    out += "{";
    for (size_t i = 0; i < step.size(); ++i) out += (i ? "|" : "") + step[i];
    out += "}";
  }
  return out;
}

std::vector<int> hits_of(const std::vector<std::string>& patterns, const std::string& text, bool* answered = nullptr) {
  LiteralFilter f;
  for (const auto& p : patterns) f.add(required_literals(p));
  f.build();
  std::vector<int> hits;
  const bool ok = f.match(text, &hits);
  if (answered) *answered = ok;
  return hits;
}

}  // namespace

TEST_CASE("literals: a chain holds what every match must contain, in order", "[literals]") {
  CHECK(show(required_literals(R"(\b(?:rose|fell)\s+\d+%)")) == "{fell |rose }{0|1|2|3|4|5|6|7|8|9}{%}");
  // Spaces: any run of \s reads as one space, so words join into one string.
  CHECK(show(required_literals(R"(per\s+cent\b)")) == "{per cent}");
  CHECK(show(required_literals(R"(a\s\s+b)")) == "{a b}");
  CHECK(show(required_literals(R"(basis[\s-]point)")) == "{basis point|basis-point}");
  // Optional pieces: x? is x or nothing; x* and x{0,n} require nothing.
  CHECK(show(required_literals(R"(record(?:s)?\s+close)")) == "{record close|records close}");
  CHECK(show(required_literals(R"(gain(?:ed)*\s+\d)")) == "{gain}{ 0| 1| 2| 3| 4| 5| 6| 7| 8| 9}");
  CHECK(show(required_literals(R"(up(?:\s+\w+){0,3}\s+points)")) == "{up}{ points}");
  // One copy of x+ and x{2,5} is there.
  CHECK(show(required_literals(R"((?:cents)+)")) == "{cents}");
  // Alternatives: whichever matched holds its own best step.
  CHECK(show(required_literals(R"((?:rallied\s+hard|slipped)\s+\d+\s?%)")) ==
        "{rallied hard |slipped }{0|1|2|3|4|5|6|7|8|9}{ %|%}");
  CHECK(show(required_literals(R"((?:dollars?\s+\w+\s+\d|euros?))")) == "{dollar |dollars |euro|euros}");
  // Case is folded; classes of a few characters are strings.
  CHECK(show(required_literals(R"(S&P\s[Ff]utures)")) == "{s&p futures}");
}

TEST_CASE("literals: weak or unreadable pieces require nothing", "[literals]") {
  // Single letters, spaces and punctuation occur everywhere: left out.
  CHECK(required_literals(R"(a\s*)").empty());
  CHECK(required_literals(R"([^.;]{0,60}?)").empty());
  CHECK(required_literals(R"(.*)").empty());
  CHECK(required_literals(R"(\w+\s+\S+)").empty());
  // A branch that requires nothing makes the alternation require nothing.
  CHECK(required_literals(R"((?:up|\d*))").empty());
  // Syntax the reader does not know: nothing, rather than a guess.
  CHECK(required_literals(R"(\x{41}bc)").empty());
  CHECK(required_literals(R"([[:alpha:]]+points)").empty());
  CHECK(required_literals(R"((unbalanced)").empty());
}

TEST_CASE("literals: characters beyond ASCII", "[literals]") {
  // Currency signs and CJK have no case: they are strings.
  CHECK(show(required_literals(R"((?:€|\$)\s?(?:\d|one)+)")) == "{$|$ |€|€ }{0|1|2|3|4|5|6|7|8|9|one}");
  // A letter with case also matches its other case: not a string.
  CHECK(show(required_literals(R"(é\s+mark)")) == "{ mark}");
  // RE2 folds the Kelvin sign to k: the filter does not answer for such text.
  bool answered = true;
  hits_of({R"(kospi)"}, "The \xE2\x84\xAA" "OSPI rose", &answered);
  CHECK_FALSE(answered);
  hits_of({R"(kospi)"}, "The KOSPI rose \xE2\x80\x94 again", &answered);
  CHECK(answered);
}

TEST_CASE("literals: the filter finds chains in order, in one pass", "[literals]") {
  const std::vector<std::string> pats = {
      R"(\b(?:rose|fell)\s+\d+(?:\.\d+)?%)",       // 0
      R"(record\s+close\s+of\s+\d)",                // 1
      R"(\d+\s+basis\s+points)",                    // 2
      R"(\w+)",                                     // 3: requires nothing
  };
  CHECK(hits_of(pats, "Stocks rose 3.2% on Monday") == std::vector<int>{0, 3});
  // Every string present, but not in order.
  CHECK(hits_of(pats, "3% of the gains came after stocks rose") == std::vector<int>{3});
  // Case and runs of spaces, tabs and line breaks do not matter.
  CHECK(hits_of(pats, "a RECORD   close\tof\n2,442.74") == std::vector<int>{1, 3});
  CHECK(hits_of(pats, "yields fell 14.7 basis points") == std::vector<int>{2, 3});
  CHECK(hits_of(pats, "") == std::vector<int>{3});
}

TEST_CASE("literals: every shipped rule that matches a corpus line is a candidate", "[literals][rules]") {
  // The property the extractor relies on, checked on real and generated text:
  // the filter may let through rules that do not match, never drop one that does.
  std::vector<std::string> errors;
  auto rs = claimcheck::RuleSet::load(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules", &errors);
  REQUIRE(rs);
  const std::vector<std::string> texts = corpus_texts(40, 2026);
  REQUIRE(texts.size() >= 60);
  const size_t real = texts.size() - 40;

  size_t lines = 0, matched = 0, candidates = 0;
  for (size_t t = 0; t < texts.size(); ++t) {
    std::istringstream in(texts[t]);
    std::string line;
    while (std::getline(in, line)) {
      ++lines;
      std::vector<int> claim, timex;
      claimcheck::LiteralScan claim_scan, timex_scan;
      rs->claim_candidates(line, &claim, &claim_scan);
      rs->timex_candidates(line, &timex, &timex_scan);
      candidates += claim.size();
      {
        // Both filters in one pass: the same hits and the same strings.
        std::vector<int> claim2{-1}, timex2{-1};
        claimcheck::LiteralScan claim_scan2, timex_scan2;
        rs->timex_and_claim_candidates(line, &timex2, &timex_scan2, &claim2, &claim_scan2);
        INFO("line: " << line);
        CHECK(claim2 == claim);
        CHECK(timex2 == timex);
        for (auto [one, both] : {std::pair{&claim_scan, &claim_scan2}, std::pair{&timex_scan, &timex_scan2}}) {
          REQUIRE(one->valid == both->valid);
          REQUIRE(one->occ.size() == both->occ.size());
          for (size_t k = 0; k < one->occ.size(); ++k) {
            CHECK(one->occ[k].lit == both->occ[k].lit);
            CHECK(one->occ[k].begin == both->occ[k].begin);
            CHECK(one->occ[k].end == both->occ[k].end);
          }
        }
      }
      for (size_t i = 0; i < rs->claim_rules().size(); ++i) {
        if (!RE2::PartialMatch(line, *rs->claim_rules()[i]->re)) continue;
        ++matched;
        INFO((t < real ? "corpus" : "generated") << " line: " << line << "\nrule " << rs->claim_rules()[i]->id);
        CHECK(std::binary_search(claim.begin(), claim.end(), static_cast<int>(i)));
      }
      for (size_t i = 0; i < rs->timex_rules().size(); ++i) {
        if (!RE2::PartialMatch(line, *rs->timex_rules()[i]->re)) continue;
        INFO("line: " << line << "\nrule " << rs->timex_rules()[i]->id);
        CHECK(std::binary_search(timex.begin(), timex.end(), static_cast<int>(i)));
      }
    }
  }
  CHECK(matched > 1000);
  // And it filters: far fewer candidates than lines times rules.
  CHECK(candidates < lines * rs->claim_rules().size() / 10);
}

namespace {

// The lead as text: "lo..hi wb {a|b}" or "-" when there is none.
std::string show_lead(std::string_view pattern) {
  const auto l = claimcheck::leading_literals(pattern);
  if (!l) return "-";
  std::string out = std::to_string(l->lo) + ".." + std::to_string(l->hi) + (l->wb ? " wb " : " ") + "{";
  for (size_t i = 0; i < l->strs.size(); ++i) out += (i ? "|" : "") + l->strs[i];
  return out + "}";
}

}  // namespace

TEST_CASE("literals: the strings every match begins with", "[literals]") {
  // Words after \b: the match begins at one of them. Letters join into
  // words while the pieces are whole strings, then take the first character
  // of the next piece (a run of spaces reads as one space).
  CHECK(show_lead(R"(\b(?:rose|fell)\s+\d+%)") == "0..0 wb {fell |rose }");
  CHECK(show_lead(R"(\bS&P\s+500)") == "0..0 wb {s&p }");
  CHECK(show_lead(R"((?:closed|ended)(?:at|to))") == "0..0 {closedat|closedto|endedat|endedto}");
  // One letter is too common alone, not followed by a separator.
  CHECK(show_lead(R"(\ba[\s-]+little\s+\d)") == "0..0 wb {a |a-}");
  // An optional piece adds its strings to those of what follows it.
  CHECK(show_lead(R"((?:\b(?:about|nearly)\s+)?\d+%)") == "0..0 {0|1|2|3|4|5|6|7|8|9|about |nearly }");
  // A short piece without strings shifts where the match begins.
  CHECK(show_lead(R"((?:^|[\s(:])[+-]\d+%)") == "0..1 {+0|+1|+2|+3|+4|+5|+6|+7|+8|+9|-0|-1|-2|-3|-4|-5|-6|-7|-8|-9}");
  CHECK(show_lead(R"([\s(]{2}\$(?:\d|one))") == "2..2 {$0|$1|$2|$3|$4|$5|$6|$7|$8|$9|$one}");
  // Case is folded; a word boundary is only kept before a word character.
  CHECK(show_lead(R"(\bFed\b)") == "0..0 wb {fed}");
  CHECK(show_lead(R"(\b\$\s?\d)") == "0..0 {$}");
}

TEST_CASE("literals: no lead where a match could begin anywhere", "[literals]") {
  CHECK(show_lead(R"(\d*)") == "-");                        // can match nothing
  CHECK(show_lead(R"((?:rose|\d+)?)") == "-");
  CHECK(show_lead(R"([A-Za-z]\w*\s+rose)") == "-");         // any word
  CHECK(show_lead(R"((?:a|b)\w+\d)") == "-");                // one letter: too common
  CHECK(show_lead(R"(\s+rose)") == "-");                    // a run of spaces: where it begins is unknown
  CHECK(show_lead(R"(.{0,5}rose)") == "-");                 // up to 5 characters of up to 4 bytes: too wide
  CHECK(show_lead(R"(\w+ (?:rose|fell))") == "-");          // unbounded before the strings
  CHECK(show_lead(R"((?:rose|x*)\d)") == "-");              // one branch has no strings
  CHECK(show_lead(R"((unbalanced)") == "-");
}

TEST_CASE("literals: every match of a shipped rule begins where the filter says", "[literals][rules]") {
  // The property the extractor's anchored search relies on: a rule with a
  // lead can begin a match only at an offset starts() lists. Every offset
  // where a match begins is found by searching again one byte after the last.
  std::vector<std::string> errors;
  auto rs = claimcheck::RuleSet::load(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules", &errors);
  REQUIRE(rs);
  const std::vector<std::string> texts = corpus_texts(40, 2027);
  size_t checked = 0, probed_rules = 0;
  std::vector<uint32_t> starts;
  auto check = [&](const std::vector<const claimcheck::Rule*>& rules, const claimcheck::LiteralFilter& lf,
                   const std::string& line, const std::vector<int>& hits, const claimcheck::LiteralScan& scan) {
    for (int i : hits) {
      const claimcheck::Rule& r = *rules[static_cast<size_t>(i)];
      if (!lf.starts(scan, line, 0, i, &starts)) continue;
      ++probed_rules;
      re2::StringPiece m;
      for (size_t pos = 0; pos <= line.size() && r.re->Match(line, pos, line.size(), RE2::UNANCHORED, &m, 1);) {
        const auto begin = static_cast<uint32_t>(m.data() - line.data());
        INFO("rule " << r.id << "\nline: " << line << "\nmatch at " << begin << ": " << m);
        CHECK(std::binary_search(starts.begin(), starts.end(), begin));
        ++checked;
        pos = begin + 1;
      }
    }
  };
  for (const std::string& text : texts) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      std::vector<int> hits;
      claimcheck::LiteralScan scan;
      if (rs->claim_candidates(line, &hits, &scan) && scan.valid) check(rs->claim_rules(), rs->claim_literals(), line, hits, scan);
      if (rs->timex_candidates(line, &hits, &scan) && scan.valid) check(rs->timex_rules(), rs->timex_literals(), line, hits, scan);
    }
  }
  CHECK(checked > 1000);
  CHECK(probed_rules > 1000);
}

TEST_CASE("literals: both filters in one pass hand text they cannot read to the sets", "[literals][rules]") {
  std::vector<std::string> errors;
  auto rs = claimcheck::RuleSet::load(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules", &errors);
  REQUIRE(rs);
  // The Kelvin sign reads as k to RE2 without case: "wee\u212A" is "week".
  const std::string line = "Gold rose 2.1% last wee\xE2\x84\xAA and 0.4% on Monday.";
  std::vector<int> claim, timex, claim2, timex2;
  claimcheck::LiteralScan claim_scan, timex_scan;
  rs->timex_and_claim_candidates(line, &timex, &timex_scan, &claim, &claim_scan);
  CHECK_FALSE(claim_scan.valid);
  CHECK_FALSE(timex_scan.valid);
  rs->match_claim_rules(line, &claim2);
  rs->match_timex_rules(line, &timex2);
  CHECK(claim == claim2);
  CHECK(timex == timex2);
  CHECK_FALSE(claim.empty());
  CHECK_FALSE(timex.empty());
}

TEST_CASE("literals: the filter's hits are the rules whose chain occurs in order, on random chains", "[literals]") {
  // Against a direct reading of the definition: each step's string begins at
  // or after the end of the previous step's (the earliest end is the best
  // choice). Rules are looked at through one key step each (build()), so
  // chains share steps and strings here, of several lengths.
  std::mt19937 rng(7);
  auto word = [&](size_t max_len) {
    std::string w;
    const size_t n = 1 + rng() % max_len;
    for (size_t i = 0; i < n; ++i) w.push_back("abc"[rng() % 3]);
    return w;
  };
  auto occurs = [](const LiteralChain& chain, const std::string& text, size_t from = 0) {
    size_t cursor = from;
    for (const auto& step : chain) {
      size_t best = std::string::npos;
      for (const auto& s : step)
        for (size_t p = text.find(s, cursor); p != std::string::npos; p = text.find(s, p + 1)) {
          best = std::min(best, p + s.size());
          break;  // the first place it begins ends first, for one string
        }
      if (best == std::string::npos) return false;
      cursor = best;
    }
    return true;
  };
  for (int round = 0; round < 50; ++round) {
    std::vector<std::vector<std::string>> pool;
    for (int i = 0; i < 12; ++i) {
      std::vector<std::string> step;
      const int n = 1 + static_cast<int>(rng() % 3);
      for (int k = 0; k < n; ++k) step.push_back(word(4));
      std::sort(step.begin(), step.end());
      step.erase(std::unique(step.begin(), step.end()), step.end());
      pool.push_back(step);
    }
    std::vector<LiteralChain> chains;
    for (int r = 0; r < 40; ++r) {
      LiteralChain c;
      const int steps = static_cast<int>(rng() % 4);  // some rules need nothing
      for (int k = 0; k < steps; ++k) c.push_back(pool[rng() % pool.size()]);
      chains.push_back(c);
    }
    LiteralFilter f;
    for (const auto& c : chains) f.add(c);
    f.build();
    for (int t = 0; t < 40; ++t) {
      const std::string text = word(30);
      std::vector<int> want;
      for (size_t r = 0; r < chains.size(); ++r)
        if (occurs(chains[r], text)) want.push_back(static_cast<int>(r));
      std::vector<int> hits;
      claimcheck::LiteralScan scan;
      REQUIRE(f.match(text, &hits, &scan));
      INFO("round " << round << " text " << text);
      CHECK(hits == want);
      // occurs_from() for every rule and offset, hit or not (on every
      // fourth text: the sanitizer build runs this too).
      if (t % 4 != 0) continue;
      for (size_t r = 0; r < chains.size(); ++r)
        for (size_t from = 0; from <= text.size() + 1; ++from) {
          INFO("rule " << r << " from " << from);
          CHECK(f.occurs_from(scan, static_cast<int>(r), from) == occurs(chains[r], text, from));
        }
    }
  }
}

TEST_CASE("literals: a remembered group gives what reading it again gives", "[literals][rules]") {
  auto same = [](const claimcheck::LiteralAnalysis& a, const claimcheck::LiteralAnalysis& b) {
    if (show(a.chain) != show(b.chain) || a.lead.has_value() != b.lead.has_value()) return false;
    if (!a.lead) return true;
    return a.lead->strs == b.lead->strs && a.lead->lo == b.lead->lo && a.lead->hi == b.lead->hi && a.lead->wb == b.lead->wb;
  };
  // Every shipped rule, after RuleSet::load has filled this thread's memo.
  std::vector<std::string> errors;
  auto rs = claimcheck::RuleSet::load(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules", &errors);
  REQUIRE(rs);
  size_t rules = 0, with_lead = 0;
  for (const auto* list : {&rs->claim_rules(), &rs->timex_rules(), &rs->repair_rules()})
    for (const claimcheck::Rule* r : *list) {
      INFO("rule " << r->id);
      const auto fresh = claimcheck::analyze_literals(r->expanded, false);
      const auto remembered = claimcheck::analyze_literals(r->expanded, true);
      CHECK(same(fresh, remembered));
      ++rules;
      with_lead += fresh.lead ? 1 : 0;
    }
  CHECK(rules > 100);
  CHECK(with_lead > 50);
  // Long groups in other places, with parentheses a bracket count could
  // misread: escaped, in a class, and a group that does not close.
  const std::string names = "(?:alpha centauri|beta pictoris|gamma draconis|delta scuti|epsilon eridani)";
  const std::string odd = "(?:ab[)(]cd|ef\\)gh|ij\\(kl|mn[^)]op|qr[]]st|uv[\\]]wx|yz0123456789abcdef)";
  for (const std::string& p : {names + "\\s+rose", "fell\\s+" + names + "?", "(" + names + "|x)" + names,
                               odd + "\\d+", "\\d+" + odd + "%", "(?P<n>" + odd + ")" + odd,
                               "(?:" + names + "(?:unclosed" + names}) {
    INFO("pattern " << p);
    // required_literals() reads without shapes: its groups are kept apart.
    const std::string chain = show(required_literals(p));
    CHECK(same(claimcheck::analyze_literals(p, false), claimcheck::analyze_literals(p, true)));
    CHECK(same(claimcheck::analyze_literals(p, false), claimcheck::analyze_literals(p, true)));  // now remembered
    CHECK(show(required_literals(p)) == chain);
  }
}
