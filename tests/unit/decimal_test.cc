// @brief Decimal parsing and precision intervals.
#include <catch2/catch.hpp>

#include "core/decimal.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>

using claimcheck::Decimal;

TEST_CASE("decimal: parses separators and keeps stated precision", "[decimal]") {
  auto d = Decimal::parse("2,442.03");
  REQUIRE(d);
  CHECK(d->value() == Approx(2442.03));
  CHECK(d->half_unit() == Approx(0.005));
  CHECK(Decimal::parse("2442.03")->value() == Approx(2442.03));
  CHECK(Decimal::parse("10")->half_unit() == Approx(0.5));
}

TEST_CASE("decimal: rejects misplaced separators", "[decimal]") {
  CHECK_FALSE(Decimal::parse("1,23"));
  CHECK_FALSE(Decimal::parse("12,34,567"));
  CHECK_FALSE(Decimal::parse("1.536.9"));
  CHECK_FALSE(Decimal::parse("."));
  CHECK_FALSE(Decimal::parse("3."));
  CHECK_FALSE(Decimal::parse(std::string(400, '9')));
}

TEST_CASE("decimal: intervals follow precision and hedges", "[decimal]") {
  double lo, hi;
  claimcheck::interval(*Decimal::parse("11.2"), "exact", &lo, &hi);
  CHECK(lo == Approx(11.15));
  CHECK(hi == Approx(11.25));
  claimcheck::interval(*Decimal::parse("10"), "exact", &lo, &hi);
  CHECK(lo == Approx(9.5));
  CHECK(hi == Approx(10.5));  // 10% and 10.4% agree, 10% and 11.2% do not
  claimcheck::interval(*Decimal::parse("11"), "nearly", &lo, &hi);
  CHECK(hi == Approx(11));
  CHECK(lo < 10.5);
  auto neg = *Decimal::parse("3");
  neg.negative = true;
  claimcheck::interval(neg, "more_than", &lo, &hi);
  CHECK(hi == Approx(-3));
  CHECK(lo < -3);
  auto scaled = *Decimal::parse("2.7");
  scaled.exp10 = 12;
  CHECK(scaled.value() == Approx(2.7e12));
  claimcheck::interval(scaled, "exact", &lo, &hi);
  CHECK(lo == Approx(2.65e12));
}

TEST_CASE("decimal: value() is the double strtod and pow give, to the bit", "[decimal]") {
  // value() reads up to 15 digits as an integer and scales by a table; the
  // claims it feeds (values, intervals, conflicts) must not move by an ulp.
  std::mt19937_64 rng(7);
  int checked = 0;
  for (int i = 0; i < 20000; ++i) {
    const size_t n = 1 + rng() % 19;  // past 15 digits: the strtod path
    Decimal d;
    for (size_t k = 0; k < n; ++k) d.digits.push_back(static_cast<char>('0' + (k == 0 ? 1 + rng() % 9 : rng() % 10)));
    d.frac = static_cast<int>(rng() % std::min<size_t>(n, 8));
    static constexpr int kScales[] = {0, 0, 0, 3, 6, 9, 12, 18, -2, -12, 25};
    d.exp10 = kScales[rng() % 11];
    d.negative = rng() % 2 == 0;
    const double want_abs = std::strtod(d.digits.c_str(), nullptr) * std::pow(10.0, d.exp10 - d.frac);
    const double want = d.negative ? -want_abs : want_abs;
    const double got = d.value();
    if (std::memcmp(&got, &want, sizeof got) != 0) FAIL("value() of " << d.str() << "e" << d.exp10 << ": " << got << " != " << want);
    const double half = 0.5 * std::pow(10.0, d.exp10 - d.frac), got_half = d.half_unit();
    if (std::memcmp(&got_half, &half, sizeof half) != 0) FAIL("half_unit() of " << d.str() << "e" << d.exp10);
    ++checked;
  }
  CHECK(checked == 20000);
}
