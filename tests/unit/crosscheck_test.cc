// @brief The cross-source check on hand-made claims: what is and is not a conflict.
#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <random>

#include "core/crosscheck.h"

using claimcheck::ArticleInfo;
using claimcheck::CheckOptions;
using claimcheck::Claim;
using claimcheck::ClaimRef;
using claimcheck::Conflict;
using claimcheck::find_conflicts;

namespace {

// Owns claims and articles with stable addresses.
struct World {
  std::deque<ArticleInfo> arts;
  std::deque<Claim> claims;
  std::vector<ClaimRef> refs;
  claimcheck::TradingCalendar cal;  // weekends only

  ArticleInfo* article(const std::string& id, const std::string& published, bool translated = false) {
    for (auto& a : arts)
      if (a.id == id) return &a;
    ArticleInfo a;
    a.id = id;
    a.source = "Outlet " + id;
    a.published = published;
    a.translated = translated;
    arts.push_back(a);
    return &arts.back();
  }
  Claim& add(ArticleInfo* a, const std::string& subject, const std::string& metric, double value, double lo,
             double hi, const std::string& as_of, const std::string& basis = "close") {
    Claim c;
    c.article = a->id;
    c.start = static_cast<long long>(claims.size()) * 100;
    c.end = c.start + 30;
    c.quote = subject + " " + metric + " " + std::to_string(value);
    c.subject = subject;
    c.metric = metric;
    c.value = value;
    c.lo = lo;
    c.hi = hi;
    c.unit = metric == "level" || metric == "record_level" ? "points" : "pct";
    c.as_of = as_of;
    c.as_of_basis = as_of.empty() ? "" : "publication";
    c.basis = basis;
    c.confidence = 0.86;
    claims.push_back(c);
    refs.push_back(ClaimRef{&claims.back(), a});
    return claims.back();
  }
  // Month-to-date change as of `as_of`.
  Claim& mtd(ArticleInfo* a, const std::string& subject, double v, double lo, double hi, const std::string& as_of) {
    Claim& c = add(a, subject, "change_pct", v, lo, hi, as_of, "unspecified");
    c.period_start = as_of.substr(0, 8) + "01";
    c.period_end = as_of;
    return c;
  }
  Claim& daily(ArticleInfo* a, const std::string& subject, double v, const std::string& day,
               const std::string& basis = "close") {
    Claim& c = add(a, subject, "change_pct", v, v - 0.05, v + 0.05, day, basis);
    c.period_start = c.period_end = day;
    return c;
  }
  Claim& record(ArticleInfo* a, const std::string& subject, double v, const std::string& event,
                const std::string& basis = "close") {
    Claim& c = add(a, subject, "record_level", v, v - 0.005, v + 0.005, "", basis);
    c.event_date = event;
    return c;
  }
  std::vector<Conflict> run() {
    CheckOptions o;
    o.calendar = &cal;
    return find_conflicts(refs, o);
  }
};

size_t count_at_least_medium(const std::vector<Conflict>& cs) {
  return static_cast<size_t>(
      std::count_if(cs.begin(), cs.end(), [](const Conflict& c) { return c.severity != "low"; }));
}

}  // namespace

TEST_CASE("crosscheck: stated precision is respected (10% vs 10.4% agree)", "[crosscheck]") {
  World w;
  w.mtd(w.article("a", "2024-11-26"), "RUT", 10, 9.5, 10.5, "2024-11-25");
  w.mtd(w.article("b", "2024-11-26"), "RUT", 10.4, 10.35, 10.45, "2024-11-25");
  CHECK(w.run().empty());
}

TEST_CASE("crosscheck: 10% vs 11.2% on the same fact is a high value_mismatch", "[crosscheck]") {
  World w;
  w.mtd(w.article("a", "2024-11-26"), "RUT", 10, 9.5, 10.5, "2024-11-25");
  w.mtd(w.article("b", "2024-11-26"), "RUT", 11.2, 11.15, 11.25, "2024-11-25");
  auto cs = w.run();
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].kind == "value_mismatch");
  CHECK(cs[0].severity == "high");
  CHECK(cs[0].subject == "RUT");
  CHECK(cs[0].metric == "change_pct");
  CHECK(cs[0].claims.size() == 2);
  CHECK(cs[0].status == "open");
  CHECK(cs[0].id == 1);
  CHECK(cs[0].fingerprint.size() == 16);
}

TEST_CASE("crosscheck: the majority value is suggested and the misprint named", "[crosscheck]") {
  World w;
  w.add(w.article("a", "2024-12-05"), "SPX", "level", 6086.49, 6086.485, 6086.495, "2024-12-04");
  w.add(w.article("b", "2024-12-05"), "SPX", "level", 6086.49, 6086.485, 6086.495, "2024-12-04");
  w.add(w.article("c", "2024-12-05"), "SPX", "level", 6068.49, 6068.485, 6068.495, "2024-12-04");
  auto cs = w.run();
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].severity == "high");
  CHECK(cs[0].suggestion["value"].get<double>() == Approx(6086.49));
  CHECK(cs[0].explanation.find("transposed") != std::string::npos);
  CHECK(cs[0].claims.size() == 3);
}

TEST_CASE("crosscheck: intraday vs close is a different fact", "[crosscheck]") {
  World w;
  w.daily(w.article("a", "2024-11-26"), "RUT", 1.6, "2024-11-25", "intraday");
  w.daily(w.article("b", "2024-11-26"), "RUT", 1.5, "2024-11-25", "close");
  CHECK(w.run().empty());
}

TEST_CASE("crosscheck: different as_of dates and different periods are different facts", "[crosscheck]") {
  World w;
  w.add(w.article("a", "2024-11-09"), "US10Y", "level", 4.307, 4.3065, 4.3075, "2024-11-08");
  w.add(w.article("b", "2024-11-26"), "US10Y", "level", 4.262, 4.2615, 4.2625, "2024-11-25");
  // Week vs month to date, same end date.
  Claim& wk = w.add(w.article("c", "2024-08-19"), "SPX", "change_pct", 3.9, 3.85, 3.95, "2024-08-16");
  wk.period_start = "2024-08-12";
  wk.period_end = "2024-08-16";
  w.mtd(w.article("d", "2024-08-19"), "SPX", 0.6, 0.55, 0.65, "2024-08-16");
  CHECK(w.run().empty());
}

TEST_CASE("crosscheck: subjects are never compared with each other", "[crosscheck]") {
  World w;
  w.daily(w.article("a", "2024-11-26"), "RUT", 1.5, "2024-11-25");
  w.daily(w.article("b", "2024-11-26"), "SPX", 0.3, "2024-11-25");
  CHECK(w.run().empty());
}

TEST_CASE("crosscheck: a record high and a level are different metrics", "[crosscheck]") {
  World w;
  w.record(w.article("a", "2024-09-19"), "SPX", 5689.75, "2024-09-18", "intraday");
  w.add(w.article("b", "2024-09-19"), "SPX", "level", 5618, 5617.5, 5618.5, "2024-09-18");
  CHECK(w.run().empty());
}

TEST_CASE("crosscheck: an intraday record and a closing record are different facts", "[crosscheck]") {
  World w;
  w.record(w.article("a", "2024-11-26"), "RUT", 2442.74, "2021-11-08", "close");
  w.record(w.article("b", "2024-11-26"), "RUT", 2442.74, "2021-11-09", "intraday");
  CHECK(w.run().empty());
}

TEST_CASE("crosscheck: as_of_uncertain claims never make a medium or high conflict", "[crosscheck]") {
  World w;
  Claim& u = w.add(w.article("a", ""), "WTI", "level", 70.58, 70.575, 70.585, "");
  u.flags.push_back("as_of_uncertain");
  w.add(w.article("b", "2024-10-17"), "WTI", "level", 70.39, 70.385, 70.395, "2024-10-16");
  // An undated record date: at most low, and it says the date is unknown.
  Claim& r = w.record(w.article("c", ""), "BTC", 103679, "2024-12-05", "intraday");
  r.flags.push_back("as_of_uncertain");
  w.record(w.article("d", "2024-12-06"), "BTC", 103679, "2024-12-04", "intraday");
  auto cs = w.run();
  CHECK(count_at_least_medium(cs) == 0);
  for (const auto& c : cs) CHECK(c.explanation.find("unknown") != std::string::npos);
}

TEST_CASE("crosscheck: a garbled date whose alternative reading matches is a mistranslation", "[crosscheck]") {
  World w;
  w.record(w.article("000", "2024-11-26"), "RUT", 2442.74, "2021-11-08");
  Claim& g = w.record(w.article("001", "2024-11-26", true), "RUT", 2442.74, "2021-01-08");
  g.flags.push_back("garbled_date");
  g.alt_event_date = "2021-11-08";
  auto cs = w.run();
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].kind == "mistranslation");
  CHECK(cs[0].severity == "medium");
  CHECK(cs[0].suggestion["event_date"] == "2021-11-08");
  CHECK(cs[0].claims.size() == 2);
}

TEST_CASE("crosscheck: the same record with two dates is a date_mismatch", "[crosscheck]") {
  World w;
  w.record(w.article("a", "2024-12-11"), "DAX", 20345.96, "2024-12-09");
  w.record(w.article("b", "2024-12-11"), "DAX", 20345.96, "2024-12-09");
  w.record(w.article("c", "2024-12-11"), "DAX", 20345.96, "2024-12-06");
  // A different record (another value) is not compared.
  w.record(w.article("d", "2024-12-11"), "DAX", 20100.00, "2024-12-02");
  auto cs = w.run();
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].kind == "date_mismatch");
  CHECK(cs[0].severity == "high");
  CHECK(cs[0].suggestion["event_date"] == "2024-12-09");
  CHECK(cs[0].claims.size() == 3);
}

TEST_CASE("crosscheck: a context date and the daily move explain a face-value gap", "[crosscheck]") {
  World w;
  // 002 is published Tuesday 2024-11-26; its MTD figure is dated Friday by another sentence.
  Claim& stale = w.mtd(w.article("002", "2024-11-26"), "RUT", 10, 9.5, 10.5, "2024-11-22");
  stale.as_of_basis = "context";
  w.mtd(w.article("000", "2024-11-26"), "RUT", 11.2, 11.15, 11.25, "2024-11-25");
  w.daily(w.article("000", "2024-11-26"), "RUT", 1.5, "2024-11-25");
  auto cs = w.run();
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].kind == "timing_explained");
  CHECK(cs[0].severity == "low");
  CHECK(cs[0].explanation.find("1.1 x 1.015 = 1.1165") != std::string::npos);
  CHECK(cs[0].explanation.find("2024-11-22") != std::string::npos);
}

TEST_CASE("crosscheck: without the context date the same gap is a conflict", "[crosscheck]") {
  World w;
  Claim& c = w.mtd(w.article("002", "2024-11-26"), "RUT", 10, 9.5, 10.5, "2024-11-25");
  c.as_of_basis = "publication";
  w.mtd(w.article("000", "2024-11-26"), "RUT", 11.2, 11.15, 11.25, "2024-11-25");
  auto cs = w.run();
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].kind == "value_mismatch");
  CHECK(cs[0].severity == "high");
}

TEST_CASE("crosscheck: consecutive month-to-date figures explained by the daily move", "[crosscheck]") {
  World w;
  w.mtd(w.article("104", "2024-08-17"), "SPX", 0.6, 0.55, 0.65, "2024-08-16");
  w.mtd(w.article("105", "2024-08-20"), "SPX", 1.6, 1.55, 1.65, "2024-08-19");
  SECTION("with the Monday move: timing_explained") {
    w.daily(w.article("105", "2024-08-20"), "SPX", 0.97, "2024-08-19");
    auto cs = w.run();
    REQUIRE(cs.size() == 1);
    CHECK(cs[0].kind == "timing_explained");
    CHECK(cs[0].severity == "low");
    CHECK(cs[0].explanation.find("1.006 x 1.0097") != std::string::npos);
  }
  SECTION("without a daily move: different dates, nothing to report") { CHECK(w.run().empty()); }
  SECTION("a daily move that does not account for it: nothing at medium or high") {
    w.daily(w.article("105", "2024-08-20"), "SPX", 3.5, "2024-08-19");
    CHECK(count_at_least_medium(w.run()) == 0);
  }
}

TEST_CASE("crosscheck: a translated scale slip is a mistranslation", "[crosscheck]") {
  World w;
  for (const char* id : {"129", "130", "132"})
    w.add(w.article(id, "2024-11-22"), "OTHER:dc revenue", "other", 30.8e9, 30.75e9, 30.85e9, "2024-11-21");
  w.add(w.article("131", "2024-11-22", true), "OTHER:dc revenue", "other", 3.08e9, 3.075e9, 3.085e9, "2024-11-21");
  auto cs = w.run();
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].kind == "mistranslation");
  CHECK(cs[0].severity == "medium");
  CHECK(cs[0].suggestion["value"].get<double>() == Approx(30.8e9));
}

TEST_CASE("crosscheck: one article contradicting itself is at most low", "[crosscheck]") {
  World w;
  w.daily(w.article("a", "2024-12-05"), "SPX", 0.6, "2024-12-04");
  w.daily(w.article("b", "2024-12-05"), "SPX", 0.61, "2024-12-04");
  w.daily(w.article("b", "2024-12-05"), "SPX", 0.9, "2024-12-04");
  CHECK(count_at_least_medium(w.run()) == 0);
}

TEST_CASE("crosscheck: fingerprints and order do not depend on input order", "[crosscheck]") {
  World w;
  w.add(w.article("a", "2024-12-05"), "SPX", "level", 6086.49, 6086.485, 6086.495, "2024-12-04");
  w.add(w.article("b", "2024-12-05"), "SPX", "level", 6068.49, 6068.485, 6068.495, "2024-12-04");
  w.daily(w.article("a", "2024-12-05"), "IXIC", 1.3, "2024-12-04");
  w.daily(w.article("c", "2024-12-05"), "IXIC", 1.8, "2024-12-04");
  w.record(w.article("a", "2024-12-05"), "DAX", 20345.96, "2024-12-09");
  w.record(w.article("c", "2024-12-05"), "DAX", 20345.96, "2024-12-06");
  auto first = w.run();
  REQUIRE(first.size() == 3);
  std::mt19937 rng(42);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(w.refs.begin(), w.refs.end(), rng);
    auto again = w.run();
    REQUIRE(again.size() == first.size());
    for (size_t i = 0; i < first.size(); ++i) {
      CHECK(again[i].fingerprint == first[i].fingerprint);
      CHECK(again[i].id == first[i].id);
      CHECK(again[i].explanation == first[i].explanation);
    }
  }
  // Different claims, different fingerprint.
  std::set<std::string> fps;
  for (const auto& c : first) fps.insert(c.fingerprint);
  CHECK(fps.size() == first.size());
}

TEST_CASE("crosscheck: FNV-1a 64 reference values", "[crosscheck]") {
  CHECK(claimcheck::fnv1a64_hex("") == "cbf29ce484222325");
  CHECK(claimcheck::fnv1a64_hex("a") == "af63dc4c8601ec8c");
  CHECK(claimcheck::severity_rank("high") < claimcheck::severity_rank("medium"));
  CHECK(claimcheck::severity_rank("medium") < claimcheck::severity_rank("low"));
}

TEST_CASE("crosscheck: many groups stay linear (smoke test on 20000 claims)", "[crosscheck]") {
  World w;
  for (int s = 0; s < 500; ++s)
    for (int d = 0; d < 10; ++d) {
      std::string day = "2024-03-" + std::string(d + 4 < 10 ? "0" : "") + std::to_string(d + 4);
      for (int k = 0; k < 4; ++k) {
        double v = 1000 + s + d + (s == 7 && d == 3 && k == 0 ? 50 : 0);
        w.add(w.article("art" + std::to_string(d) + "_" + std::to_string(k), "2024-03-20"), "S" + std::to_string(s),
              "level", v, v - 0.005, v + 0.005, day);
      }
    }
  auto cs = w.run();
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].subject == "S7");
}

TEST_CASE("crosscheck: reviews attach by fingerprint and survive a re-run", "[crosscheck]") {
  World w;
  w.add(w.article("a", "2024-12-05"), "SPX", "level", 6086.49, 6086.485, 6086.495, "2024-12-04");
  w.add(w.article("b", "2024-12-05"), "SPX", "level", 6068.49, 6068.485, 6068.495, "2024-12-04");
  auto cs = w.run();
  REQUIRE(cs.size() == 1);
  std::unordered_map<std::string, claimcheck::Review> reviews;
  reviews[cs[0].fingerprint] = claimcheck::Review{"confirmed", "101 misprinted the close"};
  auto again = w.run();
  claimcheck::apply_reviews(&again, reviews);
  CHECK(again[0].status == "confirmed");
  CHECK(again[0].note == "101 misprinted the close");
  // Once the claims change, the fingerprint changes and the review no longer applies.
  w.claims.back().value = 6068.5;
  auto changed = w.run();
  claimcheck::apply_reviews(&changed, reviews);
  REQUIRE(changed.size() == 1);
  CHECK(changed[0].status == "open");
}

TEST_CASE("crosscheck: a stale level and the daily move (level x (1 + d))", "[crosscheck]") {
  World w;
  Claim& stale = w.add(w.article("002", "2024-11-26"), "RUT", "level", 2407, 2406.5, 2407.5, "2024-11-22");
  stale.as_of_basis = "context";
  w.add(w.article("000", "2024-11-26"), "RUT", "level", 2442.03, 2442.025, 2442.035, "2024-11-25");
  w.daily(w.article("001", "2024-11-26"), "RUT", 1.5, "2024-11-25");
  auto cs = w.run();
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].kind == "timing_explained");
  CHECK(cs[0].severity == "low");
  CHECK(cs[0].explanation.find("2407 x 1.015 = 2443.1") != std::string::npos);
}

TEST_CASE("crosscheck: fingerprints stay what earlier versions stored", "[crosscheck]") {
  // Fingerprints key the editors' reviews in every database written so
  // far: a change in how a claim's offsets and value are written into one
  // orphans them. These were computed by the version that wrote numbers
  // with snprintf("%lld ... %.12g").
  const std::pair<double, const char*> cases[] = {
      {6086.49, "9f67b1ff9fdace0f"}, {2.7e12, "14b5f432c6ee12fe"}, {-0.1, "078eb429399b8b13"}, {1e-7, "875560ef8c2101f7"}, {123456789012.5, "023fc112592ebc2a"}, {1.0 / 3, "9fff096135ae39b5"}};
  for (const auto& [value, want] : cases) {
    std::deque<Claim> claims(2);
    claims[0].article = "a";
    claims[0].start = 120;
    claims[0].end = 131;
    claims[0].value = value;
    claims[1].article = "b";
    claims[1].start = -1;
    claims[1].end = 9000000000LL;
    claims[1].value = value * 2;
    claimcheck::Conflict c;
    c.kind = "value_mismatch";
    c.subject = "SPX";
    c.metric = "level";
    for (const Claim& cl : claims) c.claims.push_back(ClaimRef{&cl, nullptr});
    INFO(value);
    CHECK(claimcheck::conflict_fingerprint(c) == want);
  }
}
