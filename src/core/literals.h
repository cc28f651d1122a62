// @brief The literals a pattern cannot match without, in order, and a filter
// that finds them for many patterns in one pass.
//
// A rule such as `{SUBJ} ... {VERB} {QUAL}{NUM}{PCT}` cannot match a sentence
// that lacks one of the verbs, a digit or a number word, and then "%",
// "percent", "per cent" or "pct", in that order. `required_literals()` reads that
// chain off the expanded regex (RE2 syntax) without running it: each step is a
// set of strings, one of which must occur in every match, after the previous
// step's string. It is a necessary condition, never a sufficient one: the rule
// still runs on the sentences that pass, and decides.
//
// `LiteralFilter` holds the chains of a list of rules and one Aho-Corasick
// automaton over all their strings, built at load. On a sentence it returns the
// rules whose chain occurs: every rule that can match is among them. It reads
// ASCII case-insensitively and every run of spaces, tabs and line breaks as one
// space. Characters beyond ASCII are strings only where RE2 matches them as
// themselves alone (currency signs, punctuation, CJK); text holding one of the
// two characters RE2 folds to ASCII letters (the Kelvin sign, the long s) makes
// `match()` return false, and the caller asks the exact prefilter instead.
//
//   LiteralFilter f;
//   f.add(required_literals("\\b(?:rose|fell)\\s+\\d+%"));
//   f.build();
//   std::vector<int> hits;
//   if (f.match("Stocks rose 3% today", &hits)) ... // hits == {0}
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace claimcheck {

// One step: any of these strings (lower case); a chain is the steps in order.
using LiteralChain = std::vector<std::vector<std::string>>;

// The chain of an RE2 pattern compiled without case sensitivity (strings are
// lower-cased). Empty when the pattern requires nothing this analysis can see,
// or uses syntax it does not read: such a rule passes every sentence.
LiteralChain required_literals(std::string_view pattern);

// Strings one of which begins every match of a pattern, `lo`..`hi` bytes
// after the match begins; `wb`: a word boundary lies right before the
// string. From these, LiteralFilter::starts() lists the only places a match
// can begin, and the rule can be tried anchored there instead of scanning
// the whole sentence.
//   \b(?:rose|fell)\s+\d+%      -> {fell, rose}, 0..0, wb
//   (?:^|[\s(:])[+-]\d+%         -> {+, -}, 0..1
struct LeadLiterals {
  std::vector<std::string> strs;  // lower case
  uint32_t lo = 0, hi = 0;
  bool wb = false;
};
// Nullopt when the analysis cannot tell, the pattern can match nothing, or
// the strings are too common to be worth it (single letters).
std::optional<LeadLiterals> leading_literals(std::string_view pattern);

// Both from one reading of the pattern (what RuleSet::load asks). Groups of
// 64 bytes or more are read once per thread and remembered (`memo`): the
// rules repeat long fragments such as the subject names.
struct LiteralAnalysis {
  LiteralChain chain;
  std::optional<LeadLiterals> lead;
};
LiteralAnalysis analyze_literals(std::string_view pattern, bool memo = true);

// Where a filter found its strings in one text (LiteralFilter::match), for
// asking again about part of it.
struct LiteralScan {
  struct Occ { uint32_t lit, begin, end; };  // byte offsets into the text
  std::vector<Occ> occ;                     // ordered by end
  // rule -> 1 + the last offset at or after which its chain still occurs
  // (0: nowhere), which answers occurs_from() for every offset at once.
  std::vector<uint32_t> reach;
  bool valid = false;                       // false: the filter did not answer
};

class LiteralFilter {
 public:
  // Rules are numbered in the order added.
  void add(const LiteralChain& chain, const std::optional<LeadLiterals>& lead = std::nullopt);
  void build();
  size_t size() const { return chains_.size(); }
  // False when the filter cannot answer for `text` (see above).
  // Otherwise true, with *hits the rules (ascending) whose chain occurs in text.
  // With `scan`, keeps where the strings were for occurs_from().
  bool match(std::string_view text, std::vector<int>* hits, LiteralScan* scan = nullptr) const;
  // match() of two filters over one text in one pass. Each byte's step
  // through an automaton waits on the step before it (a load from a table
  // larger than the first-level cache); two automata stepped side by side
  // overlap those waits. Each scan's `valid` says whether its filter
  // answered; when one did not, its hits are empty.
  static void match_both(std::string_view text, const LiteralFilter& a, std::vector<int>* hits_a, LiteralScan* scan_a,
                         const LiteralFilter& b, std::vector<int>* hits_b, LiteralScan* scan_b);
  // Whether `rule`'s chain occurs in the scanned text entirely at or after
  // byte `from`: when not, no match of the rule lies there. True when the
  // scan cannot tell.
  bool occurs_from(const LiteralScan& scan, int rule, size_t from) const;
  // The offsets (ascending, relative to the scanned text) where a match of
  // `rule` can begin: every match begins at one of them. The scanned
  // text lies at `offset` in `context`, whose byte before a string the
  // word-boundary test reads. False when the rule has no lead or the scan
  // cannot tell: then any offset may begin a match.
  bool starts(const LiteralScan& scan, std::string_view context, size_t offset, int rule,
              std::vector<uint32_t>* out) const;

 private:
  // 1 + the greatest offset from which `chain` occurs in order (0: it does
  // not occur). The chain occurs at or after `from` exactly when from <
  // reach: one walk, backwards, choosing for each step from the last the
  // string that begins last and ends before the next step's begins.
  uint32_t reach(const std::vector<uint32_t>& chain, const std::vector<LiteralScan::Occ>& occ) const;
  // The pass over text of N filters at once: each scan's strings. False
  // when the filters cannot answer (see match()).
  template <size_t N>
  static bool scan(const LiteralFilter* const (&filters)[N], LiteralScan* const (&scans)[N], std::string_view text);
  // From a scan's strings: the rules whose chain occurs; marks it valid.
  void finish(LiteralScan* scan, std::vector<int>* hits) const;
  std::vector<std::string> lits_;                     // the strings, lower case, single spaces
  std::vector<uint32_t> lit_len_;
  std::vector<std::vector<uint32_t>> steps_;          // step -> its literals, sorted; shared by rules
  std::vector<std::vector<uint32_t>> chains_;         // rule -> its steps, in order
  struct Lead {
    bool known = false, wb = false;
    uint32_t lo = 0, hi = 0;
    std::vector<uint32_t> lits;  // its strings; build() sets lead_bits_ from them
  };
  std::vector<Lead> leads_;                           // rule -> its lead strings
  std::vector<uint64_t> lead_bits_;                   // rule -> bitset of its lead strings
  // Flat copies for the per-sentence loops (one allocation each, read in
  // order): literal -> the steps that hold it, rule -> its steps.
  std::vector<uint32_t> lit_step_begin_, lit_step_list_;
  std::vector<uint32_t> chain_begin_, chain_list_;
  // step -> the rules keyed on it (build()), and the rules with no step.
  std::vector<uint32_t> keyed_begin_, keyed_list_, always_;
  std::vector<uint64_t> step_bits_;                   // step -> bitset of its literals
  size_t words_ = 0;                                  // 64-bit words per bitset
  std::unordered_map<std::string, uint32_t> index_;   // while adding
  std::map<std::vector<uint32_t>, uint32_t> step_index_;  // while adding
  size_t ring_size_ = 1;  // a power of two longer than the longest literal
  // The automaton: states x byte classes (ASCII case folded, \s as a space).
  uint8_t cls_[256] = {};
  uint32_t ncls_ = 1;
  static constexpr uint16_t kOutputBit = 0x8000;
  std::vector<uint16_t> next_;       // state x class -> state, | kOutputBit where literals end
  std::vector<uint32_t> out_begin_;  // state -> its range of out_lits_
  std::vector<uint32_t> out_lits_;   // the literals ending at each state
};

}  // namespace claimcheck
