// @brief libFuzzer target: sidecar JSON, front matter and datelines.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/calendar.h"
#include "core/pubdate.h"

using namespace claimcheck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  ArticleMeta meta;
  std::string warning;
  apply_sidecar(text, "fuzz.meta.json", &meta, &warning);
  if (!meta.published.empty() && !Date::parse(meta.published)) std::abort();
  ArticleMeta m2;
  read_publication("/nonexistent/fuzz.txt", text, &m2, &warning);
  if (!m2.published.empty() && !Date::parse(m2.published)) std::abort();
  std::string iso;
  int minute;
  if (find_dateline(text, &iso, &minute) && !Date::parse(iso)) std::abort();
  return 0;
}
