// @brief The shipped articles (corpus/ and tests/heldout/) as texts, and
// generated ones after them: the text the differential tests run on.
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/synthetic.h"

// Every .txt under corpus/ and tests/heldout/, then `generated` articles of
// 4 KB from a word-trigram model of them (seeded, so the same each run).
inline std::vector<std::string> corpus_texts(int generated, uint64_t seed) {
  std::vector<std::string> texts;
  for (const char* sub : {"/corpus", "/tests/heldout"})
    for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(CLAIMCHECK_SOURCE_DIR) + sub))
      if (e.path().extension() == ".txt") {
        std::ifstream in(e.path());
        std::stringstream ss;
        ss << in.rdbuf();
        texts.push_back(ss.str());
      }
  if (texts.empty()) return texts;
  const claimcheck::MarkovText gen(texts);
  std::mt19937_64 rng(seed);
  for (int i = 0; i < generated; ++i) texts.push_back(gen.article(rng, 4096));
  return texts;
}
