// @brief Exact decimal numbers as written: "2,442.03", "2.7" + "trillion", "three".
//
// A Decimal keeps the digits the author wrote, so the stated precision is known
// exactly: "11.2" allows 11.15..11.25, "10" allows 9.5..10.5, "$2.7 trillion"
// allows 2.65e12..2.75e12. A double appears only when value() is asked for.
//
//   auto d = Decimal::parse("2,442.03");   // digits "244203", frac 2
//   d->value();                            // 2442.03
//   d->half_unit();                        // 0.005
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace claimcheck {

struct Decimal {
  std::string digits;  // significant digits without separators, e.g. "244203"
  int frac = 0;        // digits after the decimal point
  int exp10 = 0;       // scale applied by a scale word (trillion = 12)
  bool negative = false;

  // Accepts digits with optional comma thousands separators and one decimal
  // point. Rejects anything else (including separators in the wrong place).
  static std::optional<Decimal> parse(std::string_view text);
  static Decimal from_int(long long v);
  double value() const;
  double half_unit() const;  // half of one unit in the last written digit
  std::string str() const;
};

// Interval [lo, hi] a statement allows: stated precision widened by qualifier
// (exact, about, nearly, more_than, less_than, at_least, at_most).
void interval(const Decimal& d, const std::string& qualifier, double* lo, double* hi);

}  // namespace claimcheck
