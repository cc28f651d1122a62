// @brief The claim record's JSON text: the direct writer against nlohmann's dump().
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "core/extractor.h"
#include "core/jsonl.h"
#include "core/ruleset.h"
#include "corpus_texts.h"

namespace {

using claimcheck::Claim;

std::string direct(const Claim& c) {
  std::string s;
  append_claim_json(&s, c);
  return s;
}

// A string of `n` pieces drawn from ASCII, the characters JSON escapes, and
// UTF-8 of two to four bytes.
std::string random_text(std::mt19937_64& rng, size_t n) {
  static const char* const pieces[] = {"a", "Z", "7", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t",
                                       "\x01", "\x1f", "\x7f", "%", "\xC3\xA9", "\xE2\x80\x94", "\xE2\x82\xAC",
                                       "\xF0\x9F\x98\x80", "\xEF\xBB\xBF", "\xC2\xA0"};
  std::uniform_int_distribution<size_t> pick(0, std::size(pieces) - 1);
  std::string s;
  for (size_t i = 0; i < n; ++i) s += pieces[pick(rng)];
  return s;
}

}  // namespace

TEST_CASE("jsonl: the direct writer gives dump()'s bytes for every corpus claim", "[jsonl]") {
  std::vector<std::string> errors;
  auto rs = claimcheck::RuleSet::load(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules", &errors);
  REQUIRE(rs);
  const claimcheck::Extractor ex(*rs);
  size_t claims = 0, with_alt = 0, with_flags = 0, null_as_of = 0;
  const auto texts = corpus_texts(150, 41);
  for (size_t t = 0; t < texts.size(); ++t) {
    claimcheck::Document d;
    std::string err;
    REQUIRE(claimcheck::Document::from_bytes(texts[t], &d, &err));
    claimcheck::ArticleMeta meta;
    meta.id = "a" + std::to_string(t);
    if (t % 3) meta.published = "2024-11-2" + std::to_string(t % 9);  // some without a date
    for (const Claim& c : ex.extract(d, meta)) {
      INFO(c.quote);
      REQUIRE(direct(c) == claim_to_json(c).dump());
      ++claims;
      with_alt += !c.alt_event_date.empty() || c.alt_value;
      with_flags += !c.flags.empty();
      null_as_of += c.as_of.empty();
    }
  }
  // The corpus reaches every branch of the record.
  CHECK(claims > 2000);
  CHECK(with_alt > 0);
  CHECK(with_flags > 0);
  CHECK(null_as_of > 0);
}

TEST_CASE("jsonl: strings, numbers and optional fields as dump() writes them", "[jsonl]") {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<size_t> len(0, 12);
  std::uniform_int_distribution<int> coin(0, 1);
  std::uniform_real_distribution<double> unit(0, 1);
  std::uniform_int_distribution<int> exponent(-12, 24);
  std::uniform_int_distribution<uint64_t> bits;
  auto random_double = [&]() -> double {
    switch (std::uniform_int_distribution<int>(0, 4)(rng)) {
      case 0: return std::round(unit(rng) * 1e6) / 100;                        // 1234.56
      case 1: return (coin(rng) ? -1 : 1) * unit(rng) * std::pow(10.0, exponent(rng));
      case 2: return static_cast<double>(std::uniform_int_distribution<int>(-100000, 100000)(rng));
      case 3: {
        double d;
        const uint64_t b = bits(rng);
        std::memcpy(&d, &b, sizeof d);
        return std::isfinite(d) ? d : 1.5;
      }
      default: return std::pow(10.0, exponent(rng));  // 1e+20, 0.0001, 1e-05
    }
  };
  for (int i = 0; i < 5000; ++i) {
    Claim c;
    c.article = random_text(rng, len(rng));
    c.start = static_cast<long long>(bits(rng));
    c.end = -c.start / 3;
    c.quote = random_text(rng, len(rng));
    c.subject = random_text(rng, len(rng));
    c.metric = random_text(rng, len(rng));
    c.value = random_double();
    c.unit = random_text(rng, len(rng));
    c.qualifier = random_text(rng, len(rng));
    c.lo = random_double();
    c.hi = random_double();
    if (coin(rng)) c.period_start = random_text(rng, len(rng));
    if (coin(rng)) c.period_end = random_text(rng, len(rng));
    if (coin(rng)) c.as_of = random_text(rng, len(rng));
    c.as_of_basis = random_text(rng, len(rng));
    c.basis = random_text(rng, len(rng));
    if (coin(rng)) c.event_date = random_text(rng, len(rng));
    c.record = coin(rng);
    c.confidence = random_double();
    c.rule = random_text(rng, len(rng));
    for (size_t f = len(rng) / 4; f > 0; --f) c.flags.push_back(random_text(rng, len(rng)));
    if (coin(rng)) c.alt_event_date = random_text(rng, len(rng));
    if (coin(rng)) c.alt_value = random_double();
    INFO("claim " << i << ": " << claim_to_json(c).dump());
    REQUIRE(direct(c) == claim_to_json(c).dump());
    std::string arr;
    claimcheck::json_text::strings(&arr, c.flags);
    REQUIRE(arr == nlohmann::json(c.flags).dump());
    // Left open, it takes more fields.
    std::string open;
    append_claim_json(&open, c, false);
    REQUIRE(open + "}" == direct(c));
  }
  for (double v : {0.0, -0.0, 1.0, -1.0, 0.1, 1e-4, 1e-5, 1e15, 1e16, 1e17, 123456789012345678.0, 5e-324,
                   std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(),
                   std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    std::string s;
    claimcheck::json_text::number(&s, v);
    CHECK(s == nlohmann::json(v).dump());
  }
  for (long long v : {0LL, -1LL, std::numeric_limits<long long>::min(), std::numeric_limits<long long>::max()}) {
    std::string s;
    claimcheck::json_text::integer(&s, v);
    CHECK(s == nlohmann::json(v).dump());
  }
}

TEST_CASE("jsonl: a string that is not UTF-8 fails as dump() fails", "[jsonl]") {
  for (const char* bad : {"\xC3", "ab\xFF", "\xC0\xAF", "\xED\xA0\x80", "x\x80y", "\xF4\x90\x80\x80"}) {
    INFO(bad);
    std::string s;
    CHECK_THROWS_AS(claimcheck::json_text::string(&s, bad), nlohmann::json::type_error);
    CHECK_THROWS_AS(nlohmann::json(std::string(bad)).dump(), nlohmann::json::type_error);
  }
}
