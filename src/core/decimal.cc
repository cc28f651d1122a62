// @brief Exact decimals and precision intervals. Tested by decimal_test.cc.
#include "core/decimal.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace claimcheck {

std::optional<Decimal> Decimal::parse(std::string_view t) {
  Decimal d;
  size_t i = 0;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) {
    d.negative = t[i] == '-';
    ++i;
  }
  size_t int_digits = 0, group = 0;
  bool commas = false, after_point = false;
  for (; i < t.size(); ++i) {
    char c = t[i];
    if (c >= '0' && c <= '9') {
      d.digits.push_back(c);
      if (after_point) ++d.frac;
      else { ++int_digits; ++group; }
    } else if (c == ',' && !after_point) {
      if (int_digits == 0 || (commas ? group != 3 : group > 3)) return std::nullopt;
      commas = true;
      group = 0;
    } else if (c == '.' && !after_point) {
      if (int_digits == 0) return std::nullopt;
      if (commas && group != 3) return std::nullopt;
      after_point = true;
    } else {
      return std::nullopt;
    }
  }
  if (int_digits == 0 || (after_point && d.frac == 0)) return std::nullopt;
  if (commas && !after_point && group != 3) return std::nullopt;
  if (d.digits.size() > 30) return std::nullopt;  // not a quantity anyone states
  return d;
}

Decimal Decimal::from_int(long long v) {
  Decimal d;
  d.negative = v < 0;
  d.digits = std::to_string(v < 0 ? -v : v);
  return d;
}

namespace {

// 10^e as pow(10, e) gives it (both are the double nearest 10^e), from a
// table for the exponents numbers in news take.
double pow10(int e) {
  static constexpr double kPow[] = {1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10,
                                    1e-9,  1e-8,  1e-7,  1e-6,  1e-5,  1e-4,  1e-3,  1e-2,  1e-1,  1e0,   1e1,
                                    1e2,   1e3,   1e4,   1e5,   1e6,   1e7,   1e8,   1e9,   1e10,  1e11,  1e12,
                                    1e13,  1e14,  1e15,  1e16,  1e17,  1e18,  1e19,  1e20};
  if (e >= -20 && e <= 20) return kPow[e + 20];
  return std::pow(10.0, e);
}

}  // namespace

double Decimal::value() const {
  // Up to 15 digits the integer is exact in a double, as strtod reads it.
  double v;
  if (digits.size() <= 15) {
    uint64_t n = 0;
    for (char c : digits) n = n * 10 + static_cast<uint64_t>(c - '0');
    v = static_cast<double>(n);
  } else {
    v = std::strtod(digits.c_str(), nullptr);
  }
  v *= pow10(exp10 - frac);
  return negative ? -v : v;
}

double Decimal::half_unit() const { return 0.5 * pow10(exp10 - frac); }

std::string Decimal::str() const {
  std::string s;
  s.reserve(digits.size() + 2);
  if (negative) s.push_back('-');
  const size_t int_len = digits.size() - static_cast<size_t>(frac);
  s.append(digits, 0, int_len);
  if (frac > 0) {
    s.push_back('.');
    s.append(digits, int_len, std::string::npos);
  }
  return s;
}

void interval(const Decimal& d, const std::string& q, double* lo, double* hi) {
  // Work on the magnitude, then mirror: "fell more than 3%" is -3.6..-3.
  const double a = std::fabs(d.value()), h = d.half_unit();
  // Hedges widen the stated precision: "about" by 5% of the value, "nearly"
  // sits just below, "more than" reaches up to 20% above.
  const double near = std::max(h, 0.05 * a);
  double l = a - h, u = a + h;
  if (q == "about") { l = a - near - h; u = a + near + h; }
  else if (q == "nearly") { l = a - near - h; u = a; }
  else if (q == "more_than" || q == "at_least") { l = a; u = a + std::max(0.2 * a, 2 * h); }
  else if (q == "less_than" || q == "at_most") { l = std::max(0.0, a - std::max(0.2 * a, 2 * h)); u = a; }
  if (d.negative) { *lo = -u; *hi = -l; }
  else { *lo = l; *hi = u; }
}

}  // namespace claimcheck
