// @brief libFuzzer target: number parsing and precision intervals.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/decimal.h"

using namespace claimcheck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto d = Decimal::parse(text);
  if (!d) return 0;
  static const char* qualifiers[] = {"exact", "about", "nearly", "more_than", "less_than", "at_least", "at_most"};
  for (int scale : {0, 3, 12, -2}) {
    d->exp10 = scale;
    for (const char* q : qualifiers) {
      double lo, hi;
      interval(*d, q, &lo, &hi);
      if (std::isfinite(lo) && std::isfinite(hi) && lo > hi) std::abort();
    }
  }
  return 0;
}
