// @brief End-to-end extraction behaviour on small texts.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/extractor.h"
#include "core/jsonl.h"
#include "core/ruleset.h"

namespace {
const claimcheck::RuleSet& rules() {
  static auto rs = [] {
    std::vector<std::string> errors;
    return claimcheck::RuleSet::load(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules", &errors);
  }();
  return *rs;
}
std::vector<claimcheck::Claim> run(const std::string& text, const std::string& published) {
  claimcheck::Document d;
  std::string err;
  REQUIRE(claimcheck::Document::from_bytes(text, &d, &err));
  claimcheck::ArticleMeta meta;
  meta.id = "t";
  meta.published = published;
  return claimcheck::Extractor(rules()).extract(d, meta);
}
}  // namespace

TEST_CASE("extractor: offsets point into the original bytes", "[extractor]") {
  std::string text = "\u201CMarkets\u201D \u2014 The Russell 2000\u2019s index rose 1.5% on Monday.";
  auto cs = run(text, "2024-11-26");
  REQUIRE(cs.size() == 1);
  CHECK(text.substr(static_cast<size_t>(cs[0].start), static_cast<size_t>(cs[0].end - cs[0].start)) == cs[0].quote);
  CHECK(cs[0].quote.find("1.5%") != std::string::npos);
  CHECK(cs[0].subject == "RUT");
}

TEST_CASE("extractor: without a publication date relative dates are flagged", "[extractor]") {
  auto cs = run("The Dow Jones Industrial Average fell 1.2% on Monday.", "");
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].as_of.empty());
  CHECK(cs[0].has_flag("as_of_uncertain"));
  CHECK(cs[0].value == Approx(-1.2));
  // An absolute date still resolves.
  auto abs = run("The Dow Jones Industrial Average fell 1.2% on November 22, 2024.", "");
  REQUIRE(abs.size() == 1);
  CHECK(abs[0].as_of == "2024-11-22");
}

TEST_CASE("extractor: the first 'as of' statement dates the article, even in a sentence without a claim", "[extractor]") {
  // Time expressions are worked out only for sentences with claim candidates,
  // except where an article-dating rule may match: those are read in order.
  auto cs = run("The Dow Jones Industrial Average stood at 44,296.51.\n\n"
                "Prices in this report are as of Friday, November 22, 2024.\n\n"
                "The S&P 500 was at 5,969.34. Gold traded at $2,712 as of Nov. 15.\n",
                "2024-11-27");
  REQUIRE(cs.size() == 3);
  CHECK(cs[0].subject == "DJI");
  CHECK(cs[0].as_of == "2024-11-22");
  CHECK(cs[0].as_of_basis == "context");
  CHECK(cs[1].subject == "SPX");
  CHECK(cs[1].as_of == "2024-11-22");
  CHECK(cs[1].as_of_basis == "context");
  // A later "as of" dates its own sentence only.
  CHECK(cs[2].subject == "GOLD");
  CHECK(cs[2].as_of == "2024-11-15");
  CHECK(cs[2].as_of_basis == "sentence");
}

TEST_CASE("extractor: numbers inside names, years and spreads are not claims", "[extractor]") {
  auto cs = run("The Russell 2000 lags the S&P 500 by five percentage points since 2021.", "2024-11-26");
  CHECK(cs.empty());
}

TEST_CASE("extractor: a garbled translated date keeps both readings", "[extractor]") {
  auto cs = run("It brought the Russell 2000 close to 11 in 2021 An all-time closing high of 2442.74 points was set on January 8th.",
                "2024-11-26");
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].event_date == "2021-01-08");
  CHECK(cs[0].alt_event_date == "2021-11-08");
  CHECK(cs[0].has_flag("garbled_date"));
}

TEST_CASE("extractor: implausible levels are left out", "[extractor]") {
  auto cs = run("The S&P 500 closed at 12.", "2024-11-26");
  CHECK(cs.empty());
}

TEST_CASE("extractor: 'the index' means the article's topic, a pronoun the last name", "[extractor]") {
  auto cs = run("The Russell 2000 jumped 3.6% on Tuesday. The Russell 2000 beat the S&P 500, which rose 0.6%.\n"
                "The index is up 10.5% so far in July.", "2024-07-17");
  REQUIRE(cs.size() == 3);
  CHECK(cs[2].subject == "RUT");
  auto ps = run("The Russell 2000 jumped 3.6% on Tuesday. The Nasdaq Composite climbed 1.7%.\n"
                "It is also nearing its all-time closing high of 19,298 set on July 10.", "2024-07-17");
  REQUIRE(ps.size() == 3);
  CHECK(ps[2].subject == "IXIC");
}

TEST_CASE("extractor: 'the index' on a tie means the subject named first", "[extractor]") {
  // Both named twice, with one claim each: the one the article opened with is its topic.
  // 5,669.67 is a plausible level of both, so only the tie decides.
  auto cs = run("The S&P 500 rose 1.2% and the Russell 2000 gained 0.8% on Friday.\n"
                "The S&P 500 is up 16% this year; the Russell 2000 is up 9%.\n"
                "The index is about 4% under its record close of 5,669.67, set on July 16.", "2024-08-19");
  REQUIRE(!cs.empty());
  CHECK(cs.back().subject == "SPX");
  CHECK(cs.back().metric == "record_level");
}

TEST_CASE("extractor: a figure without a ticker names itself (OTHER:{fin})", "[extractor]") {
  // No gazetteer name anywhere: the subject comes from tables/market.tsv.
  auto cs = run("Combined turnover in Shanghai and Shenzhen reached 1.2 trillion yuan on Monday.", "2024-09-24");
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].subject == "OTHER:China A-share turnover");
  CHECK(cs[0].value == Approx(1.2e12));
  CHECK(cs[0].unit == "cny");  // money written after the number
}

TEST_CASE("extractor: the subject named before the sentence must hold the level", "[extractor]") {
  // The ETF quoted last cannot have a record close of 2,442.74; the index before it can.
  auto cs = run("- Russell 2000: +3.6% to 2,263.67 on Tuesday\n- IWM: +3.5% to $223.68\n"
                "- Record close: 2,442.74, set in 2021", "2024-07-17");
  REQUIRE(cs.size() == 5);
  CHECK(cs[4].subject == "RUT");
  CHECK(cs[4].metric == "record_level");
}

TEST_CASE("extractor: a heading naming a span dates the list under it, to the next blank line", "[extractor]") {
  auto cs = run("Markets wrap\n\nFor the week\n- Dow Jones Industrial Average -1.2%\n- S&P 500 year to date: +20.1%\n\n"
                "Friday\n- Nasdaq Composite -0.8%\n", "2024-11-02");
  REQUIRE(cs.size() == 3);
  CHECK(cs[0].subject == "DJI");
  CHECK(cs[0].period_start == "2024-10-28");
  CHECK(cs[0].period_end == "2024-11-01");
  CHECK(cs[1].period_start == "2024-01-01");  // its own span wins over the heading's
  CHECK(cs[2].subject == "IXIC");
  CHECK(cs[2].period_start == "2024-11-01");  // the blank line ended the weekly block
  // A line that ends in a full stop is a sentence, not a heading.
  auto s = run("Stocks had a rough ride for the week.\n- Dow Jones Industrial Average -1.2%\n", "2024-11-02");
  REQUIRE(s.size() == 1);
  CHECK(s[0].period_start == "2024-11-01");
}

TEST_CASE("extractor: a day named after a move in the possessive does not date it", "[extractor]") {
  auto cs = run("The CAC 40 lost 0.9%, a retreat from Tuesday's record close.", "2024-05-17");
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].as_of == "2024-05-16");
  // Before the number a possessive day still dates the sentence.
  auto b = run("Tuesday's session saw the CAC 40 lose 0.9%.", "2024-05-17");
  REQUIRE(b.size() == 1);
  CHECK(b[0].as_of == "2024-05-14");
}

TEST_CASE("extractor: stage times account for an extraction without changing its claims", "[extractor]") {
  const std::string text =
      "Small caps lead the rally\n\nThe Russell 2000 rose 1.5% on Monday to 2,442.74, its first record close "
      "since November 8, 2021. The S&P 500 added 0.4%.\n\nShare this article\n\n"
      "The 10-year yield fell 14.7 basis points to 4.262% last week.\n";
  claimcheck::Document d;
  std::string err;
  REQUIRE(claimcheck::Document::from_bytes(text, &d, &err));
  claimcheck::ArticleMeta meta;
  meta.id = "t";
  meta.published = "2024-11-26";
  const claimcheck::Extractor ex(rules());
  const auto plain = ex.extract(d, meta);
  claimcheck::StageTimes times;
  const auto t0 = std::chrono::steady_clock::now();
  const auto timed = ex.extract(d, meta, nullptr, &times);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(plain.size() >= 4);
  REQUIRE(timed.size() == plain.size());
  for (size_t i = 0; i < plain.size(); ++i) CHECK(claimcheck::claim_to_json(timed[i]).dump() == claimcheck::claim_to_json(plain[i]).dump());
  // Every stage this article goes through has time; normalization is the
  // caller's to time; the stages never add up to more than the call took.
  using S = claimcheck::StageTimes;
  for (S::Stage st : {S::kBoilerplate, S::kNames, S::kSentences, S::kFilters, S::kTries, S::kTimes, S::kBinding})
    CHECK(times.seconds[st] > 0);
  CHECK(times.seconds[S::kNormalize] == 0);
  CHECK(times.total() <= wall);
  // A second article adds to the same counts.
  const double before = times.total();
  ex.extract(d, meta, nullptr, &times);
  CHECK(times.total() > before);
}
