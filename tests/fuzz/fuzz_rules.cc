// @brief libFuzzer target: the rule-file and table parsers.
// The input is written as one rule file into a small rules folder; loading
// must never crash, and every failure must name file:line.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/ruleset.h"
#include "core/table.h"

namespace fs = std::filesystem;
using namespace claimcheck;

namespace {
fs::path make_dir() {
  fs::path dir = fs::temp_directory_path() / ("claimcheck-fuzz-rules-" + std::to_string(getpid()));
  fs::create_directories(dir);
  for (const char* sub : {"tables", "fragments", "calendar", "metrics", "dates"}) {
    fs::create_directories(dir / sub);
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(fs::path(CLAIMCHECK_DEFAULT_RULES) / sub, ec))
      if (std::string(sub) != "metrics" && std::string(sub) != "dates" && e.path().filename() != "aliases.tsv")
        fs::copy_file(e.path(), dir / sub / e.path().filename(), fs::copy_options::overwrite_existing);
  }
  std::ofstream(dir / "tables" / "aliases.tsv") << "FORMAT: claimcheck-table/1\nCOLUMNS: alias\tid\tmatch\tconfidence\nDow\tDJI\ti\t1.0\n";
  return dir;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path dir = make_dir();
  std::string text(reinterpret_cast<const char*>(data), size);
  // The table parser on its own.
  Table t;
  std::string err;
  if (!t.parse("fuzz.tsv", text, {"surface", "class", "value"}, &err) && err.rfind("fuzz.tsv:", 0) != 0) std::abort();
  // A whole rules folder with this file as its only rule file.
  std::ofstream(dir / "metrics" / "fuzz.rules", std::ios::binary | std::ios::trunc) << text;
  std::vector<std::string> errors;
  auto rs = RuleSet::load(dir.string(), &errors);
  if (!rs && errors.empty()) std::abort();
  return 0;
}
