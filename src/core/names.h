// @brief Finds gazetteer names in text: every alias at once.
//
// A trie over the aliases' folded keys (lower case, runs of spaces and hyphens
// as one space), built completely when the rules load, walked from each place
// a name can begin: names are whole words, so only word starts (and
// non-word characters such as "$" or ".") begin one. Most walks end after a
// letter or two, near the root, whose rows stay in the cache. An Aho-Corasick
// automaton over the same keys read every byte through a 1.8 MB table and
// found every key inside words only to drop it (session 11: 30 -> 10
// instructions per byte). A regex alternation of the ~3,000 aliases before
// that: RE2 builds its automaton lazily and kept building on text it had not
// seen, a quarter of the extraction time on fresh text (docs/status.md).
//
// Matching rules (the gazetteer's, see rules/README.md):
//   - a name is whole words: no letter or digit joins it on either side;
//   - `i` aliases match in any case, with any run of spaces, tabs, newlines or
//     hyphens where the alias has a space or hyphen; `s` aliases (tickers)
//     match their exact bytes only;
//   - leftmost-longest: at each place the longest alias that fits wins, and
//     names do not overlap.
//
//   NameMatcher m;
//   m.add("S&P 500", false, 0, 1.0);
//   m.build();
//   for (const auto& h : m.find("the S&P-500 rose")) ... h.begin, h.end, h.value
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace claimcheck {

// Lower-cases ASCII, folds each run of spaces, tabs, line breaks and hyphens to
// one space and drops them at either end: the key of lexicon surfaces and
// aliases.
std::string fold_key(std::string_view s);
// The same into *out (its capacity is reused).
void fold_key_into(std::string_view s, std::string* out);

// Aho-Corasick's failure links folded into a trie's table (states x byte
// classes, -1 where the trie has no edge, state 0 the root): every missing
// edge becomes the failure state's edge, breadth first. link(state, fail) is
// called for each state below the root once its failure state is known, and
// after the failure state's own call: outputs can be inherited there.
void fold_failure_links(std::vector<int32_t>* delta, uint32_t ncls, const std::function<void(int32_t, int32_t)>& link);

class NameMatcher {
 public:
  struct Hit {
    size_t begin = 0, end = 0;  // byte offsets into the text searched
    int value = 0;              // as given to add()
    double confidence = 1.0;
  };

  // An alias and what it stands for. `exact_case`: the `s` kind.
  void add(const std::string& alias, bool exact_case, int value, double confidence);
  void build();
  bool empty() const { return keys_.empty(); }
  std::vector<Hit> find(std::string_view text) const;

 private:
  struct Entry {
    std::string alias;  // exact spelling, for exact-case entries
    bool exact = false;
    int value = 0;
    double confidence = 1.0;
  };
  struct Key {
    uint32_t length = 0;         // in folded characters
    std::vector<Entry> entries;  // exact-case ones first
  };
  std::vector<Key> keys_;
  std::vector<std::string> key_text_;               // while adding
  std::unordered_map<std::string, size_t> index_;  // while adding: key -> keys_ index
  // The trie, built dense (states x byte classes) and then packed: the root's
  // row stays dense (every walk starts there), and each other node is a
  // header, the key ending there, and either a dense row (a node with many
  // children) or (class, child) pairs. Nodes are laid out depth first, so a
  // walk down one name reads nearby words. A child word is the child's
  // offset in nodes_, | kKeyBit where a key ends there, 0 for no edge.
  // Dense, the 18,877 states of the shipped gazetteer took 3.7 MB, and most
  // of find()'s time was the cache misses of its deep rows.
  uint16_t cls_[256] = {};
  uint32_t ncls_ = 1;
  static constexpr uint32_t kKeyBit = 0x80000000u;
  static constexpr uint32_t kDenseBit = 0x80000000u;  // in a node's header
  std::vector<uint32_t> root_;   // class -> child word
  std::vector<uint32_t> nodes_;  // packed nodes (see above)
  uint32_t step(uint32_t node, uint32_t cls) const;
};

}  // namespace claimcheck
