// @brief libFuzzer target: date resolution (time expressions against a publication date and the calendar).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/extractor.h"
#include "core/ruleset.h"

using namespace claimcheck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<RuleSet> rules = [] {
    std::vector<std::string> errors;
    return RuleSet::load(CLAIMCHECK_DEFAULT_RULES, &errors);
  }();
  if (!rules || size < 3) return 0;
  const Date pub = Date::from_ymd(1995, 1, 1) + ((data[0] << 8 | data[1]) % 15000);
  const TradingCalendar& cal = rules->calendar();
  Date d = cal.last_close_before(pub);
  if (d >= pub) std::abort();
  if (cal.trading_days_back(pub, 1 + data[2] % 30) > pub) std::abort();
  // The time words come from the input; the figure around them is fixed.
  std::string text = "The Dow Jones Industrial Average rose 1.2% " +
                     std::string(reinterpret_cast<const char*>(data + 3), size - 3) + " to close at 40,100.5.";
  Document doc;
  std::string err;
  if (!Document::from_bytes(text, &doc, &err)) return 0;
  ArticleMeta meta;
  meta.published = pub.iso();
  for (const Claim& c : Extractor(*rules).extract(doc, meta)) {
    for (const std::string* s : {&c.as_of, &c.period_start, &c.period_end, &c.event_date})
      if (!s->empty() && !Date::parse(*s)) std::abort();
    if (!c.period_start.empty() && c.period_end < c.period_start) std::abort();
  }
  return 0;
}
