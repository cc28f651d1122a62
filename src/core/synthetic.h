// @brief Generated market-news text for benchmarks and scaling tests.
//
// Deterministic for a given seed: prose paragraphs with a realistic share of
// numeric sentences (index moves, yields, records, dates) and filler prose.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace claimcheck {

// One article of roughly `bytes` bytes. `published` receives the ISO date the
// article should be read against.
std::string synthetic_article(std::mt19937_64& rng, size_t bytes, std::string* published);

}  // namespace claimcheck
