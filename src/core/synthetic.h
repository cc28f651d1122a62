// @brief Generated market-news text for benchmarks and scaling tests.
//
// Deterministic for a given seed: prose paragraphs with a realistic share of
// numeric sentences (index moves, yields, records, dates) and filler prose.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace claimcheck {

// One article of roughly `bytes` bytes. `published` receives the ISO date the
// article should be read against.
std::string synthetic_article(std::mt19937_64& rng, size_t bytes, std::string* published);

// Fresh prose from a word-trigram model of real articles (the bundled corpus).
// The templates above repeat a handful of sentences, so a regex engine that
// builds its automaton lazily meets the same states again and again and looks
// faster than it is on a day's news; text from this model has the vocabulary,
// punctuation, layout and claim density of its training articles but word
// sequences the engine has not seen. Numbers keep their shape, digits change.
//
//   MarkovText model({corpus texts...});
//   std::string a = model.article(rng, 4096);
class MarkovText {
 public:
  explicit MarkovText(const std::vector<std::string>& texts);
  bool empty() const { return next_.empty(); }
  std::string article(std::mt19937_64& rng, size_t bytes) const;

 private:
  std::vector<std::string> words_;                             // id -> word; 0 = paragraph edge
  std::unordered_map<uint64_t, std::vector<uint32_t>> next_;  // (w1, w2) -> following words
};

}  // namespace claimcheck
