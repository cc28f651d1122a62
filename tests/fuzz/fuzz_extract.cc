// @brief libFuzzer target: the whole extraction of one article.
// Invariants: no crash, offsets inside the file, quote equals the bytes.
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
  if (!rules || size < 2) return 0;
  // The first two bytes pick a publication date (or none) in 2019..2027.
  const int day = (data[0] << 8 | data[1]) % 3300;
  Document doc;
  std::string err;
  if (!Document::from_bytes(std::string(reinterpret_cast<const char*>(data + 2), size - 2), &doc, &err)) return 0;
  ArticleMeta meta;
  meta.id = "fuzz";
  if (day < 3200) meta.published = (Date::from_ymd(2019, 1, 1) + day).iso();
  for (const Claim& c : Extractor(*rules).extract(doc, meta)) {
    if (c.start < 0 || c.end < c.start || static_cast<size_t>(c.end) > doc.original.size()) std::abort();
    if (doc.original.compare(static_cast<size_t>(c.start), static_cast<size_t>(c.end - c.start), c.quote) != 0) std::abort();
    if (!(c.lo <= c.hi)) std::abort();
  }
  return 0;
}
