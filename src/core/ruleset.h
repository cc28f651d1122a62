// @brief The compiled rules: everything in rules/ loaded once, immutable, shared.
//
// rules/ holds (see rules/README.md for the language):
//   tables/*.tsv        lexicon tables (surface, class, value): each class is
//                       also a fragment {CLASS} usable in patterns
//   tables/entities.tsv, tables/aliases.tsv    the gazetteer
//   tables/boilerplate.tsv, tables/abbreviations.tsv
//   fragments/*.frag    named regex fragments: NAME = regex
//   metrics/*.rules, dates/*.rules, garbles/*.rules   rules with examples
//   calendar/*.tsv      exchange holidays
// Loading checks everything and reports every problem as "file:line: what";
// a RuleSet that loaded is immutable and safe to share across threads.
//
//   std::vector<std::string> errors;
//   auto rules = RuleSet::load("rules", &errors);
//   if (!rules) for (auto& e : errors) std::cerr << e << "\n";
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "core/calendar.h"
#include "core/capture.h"
#include "core/literals.h"
#include "core/names.h"

namespace claimcheck {

struct RuleExample {
  std::string file;
  int line = 0;
  bool counter = false;        // a counter-example: the rule must not fire
  std::string published;       // ISO date or "none"
  std::string sentence;
  std::vector<std::pair<std::string, std::string>> expect;  // field=value
};

struct Rule {
  std::string id, file;
  int line = 0;
  std::string kind = "claim";  // claim, suppress, garble, repair, timex
  std::string pattern;         // as written
  std::string expanded;        // fragments expanded
  std::unique_ptr<RE2> re;
  // The same pattern for PCRE2, which reads the groups of a span `re` found
  // (core/capture.h); null when it has no exact translation.
  std::unique_ptr<SpanCapture> capture;
  // claim rules
  std::string metric, unit, basis, subject_template;
  std::set<std::string> kinds;  // when set, the subject must be of one of these kinds
  bool record = false;
  bool event_is_as_of = false;  // records set on the day the sentence reports
  int priority = 0;
  double confidence = 0.8;
  // timex rules
  std::string type;             // anchor, mtd, ytd, month, year, week_last, ...
  bool context = false;         // an "as of" statement that dates the article
  // repair rules
  std::string replace;
  std::vector<RuleExample> examples;
  // Capture index of a named group, or -1. A linear scan of the few names the
  // pattern has, copied at load: RE2::NamedCapturingGroups() goes through
  // std::call_once and a std::map on every call, and the extractor asks for
  // groups several times per match.
  int group(std::string_view name) const {
    // The first byte before the rest: names are a few bytes long, many of
    // the same length ("num", "dir", "cur"), and memcmp is a call.
    for (const auto& [n, i] : groups)
      if (n.size() == name.size() && (name.empty() || n[0] == name[0]) && std::string_view(n) == name) return i;
    return -1;
  }
  std::vector<std::pair<std::string, int>> groups;  // named groups of re
};

struct Entity {
  std::string id, kind, name, level_unit;
  double level_min = 0, level_max = 0;
  bool has_range = false;
};

struct Mention {
  size_t begin = 0, end = 0;
  const Entity* entity = nullptr;  // nullptr for a stop alias
  double confidence = 1.0;
};

// The prefilter's form of a pattern: every bounded repeat {m,n} becomes {m,}.
// It matches a superset of what the pattern matches, so it can only let more
// rules through to the exact match, never fewer; but a set of patterns with
// counters ("[^.;]{0,60}?", "(?:\w+\s+){0,3}?") needs a DFA state for every
// count of every rule in flight, which fresh text keeps creating. Classes and
// escapes are left alone.
std::string loosen_repeats(const std::string& pattern);

// Whether every match of an RE2 pattern begins at the start of the text: it
// begins with ^ and has no alternative beside it at the top ("^a|b" does not).
bool anchored_at_start(std::string_view pattern);

// A lexicon class as a regex: its surfaces in one alternation, longest
// first (of the surfaces that match at a place, the longest is tried
// first); a space or hyphen in a surface matches any run of them.
std::string alternation(const std::vector<std::string>& surfaces);
// The same alternation with common prefixes factored out, for PCRE2 (see
// ruleset.cc): it matches what alternation() matches, in the same order of
// preference, or it is alternation()'s own text where that cannot be shown.
std::string factored_alternation(const std::vector<std::string>& surfaces);

class RuleSet {
 public:
  static std::unique_ptr<RuleSet> load(const std::string& dir, std::vector<std::string>* errors);

  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }
  const std::vector<const Rule*>& claim_rules() const { return claim_rules_; }
  const std::vector<const Rule*>& timex_rules() const { return timex_rules_; }
  const std::vector<const Rule*>& repair_rules() const { return repair_rules_; }
  // Prefilters: the indices (into claim_rules() / timex_rules(), ascending) of
  // the rules that match somewhere in text. False when none does.
  bool match_claim_rules(std::string_view text, std::vector<int>* hits) const { return claim_filter_.match(text, hits); }
  bool match_timex_rules(std::string_view text, std::vector<int>* hits) const { return timex_filter_.match(text, hits); }
  bool match_repair_rules(std::string_view text, std::vector<int>* hits) const { return repair_filter_.match(text, hits); }
  // The first line (without its break) at or after byte `from` of text where
  // some repair rule matches; false when there is none. A repair never
  // spans a line break: repair patterns cannot match one.
  bool next_repair_line(std::string_view text, size_t from, struct Span* line) const;
  // The same question answered more cheaply and less exactly: every rule that
  // can match is among the hits, and some that cannot (see Filter). With
  // `scan`, keeps what the filter saw for *_occurs_from(): whether a rule can
  // still match from a byte of the text on (true when the scan cannot tell).
  bool claim_candidates(std::string_view text, std::vector<int>* hits, LiteralScan* scan = nullptr) const {
    return claim_filter_.candidates(text, hits, scan);
  }
  bool timex_candidates(std::string_view text, std::vector<int>* hits, LiteralScan* scan = nullptr) const {
    return timex_filter_.candidates(text, hits, scan);
  }
  // Both of the above for one text, the two literal filters in one pass.
  void timex_and_claim_candidates(std::string_view text, std::vector<int>* timex_hits, LiteralScan* timex_scan,
                                  std::vector<int>* claim_hits, LiteralScan* claim_scan) const;
  // What claim_candidates() and timex_candidates() looked for: with their
  // scan, where a rule's strings occur and where its matches can begin.
  const LiteralFilter& claim_literals() const { return claim_filter_.literal; }
  const LiteralFilter& timex_literals() const { return timex_filter_.literal; }

  // Lexicon: value of `surface` (any case) in `cls`, or "" when absent.
  std::string lookup(std::string_view cls, std::string_view surface) const;
  // One class, for many lookups in a loop: lexicon("ANAPHOR"), then
  // find(cls, surface) gives the value or null (no allocation per call).
  struct LexiconClass {
    std::unordered_map<std::string, std::string> entries;  // folded surface -> value ("" for "-")
    // The first word of every surface, folded: a phrase whose first word is
    // not here is no surface of the class (a cheap test before a lookup).
    std::set<std::string, std::less<>> first_words;
    bool may_begin(std::string_view folded_word) const { return first_words.count(folded_word) > 0; }
  };
  const LexiconClass* lexicon(std::string_view cls) const;
  static const std::string* find(const LexiconClass* cls, std::string_view surface);
  // Lookup across every class starting with `prefix`; sets *cls.
  std::string lookup_prefix(const std::string& prefix, const std::string& surface, std::string* cls) const;

  const Entity* entity(const std::string& id) const;
  // All alias mentions in text, leftmost-longest, word-bounded.
  std::vector<Mention> find_mentions(std::string_view text) const;
  const TradingCalendar& calendar() const { return calendar_; }
  const std::set<std::string>& abbreviations() const { return abbreviations_; }
  // Line spans of boilerplate in text (navigation, disclaimers, bylines).
  std::vector<struct Span> boilerplate(std::string_view text) const;
  const RE2& basis_cue() const { return *basis_cue_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::vector<std::unique_ptr<Rule>> rules_;
  std::vector<const Rule*> claim_rules_, timex_rules_, repair_rules_;
  // Rules are prefiltered in RE2::Sets of 12 rather than one: a set's lazily
  // built DFA state is a combination of every member's partial matches, so one
  // set of all rules keeps meeting new states on fresh text (measured: half the
  // speed; docs/design.md). With loosened patterns 12 measured best of 6, 8, 12, 16
  // and 24 (callgrind, 2 and 8 MB of fresh text).
  // The sets hold loosen_repeats() of each pattern, for the same reason.
  struct Filter {
    static constexpr size_t kGroup = 12;  // rules per set, in list order
    // The sets' patterns; the sets are compiled on first use (a quarter of
    // start-up otherwise), since the literal filter answers for nearly all
    // text. Set g holds rules g*kGroup ...
    std::vector<std::string> patterns;
    mutable std::once_flag compiled;
    mutable std::vector<std::unique_ptr<RE2::Set>> sets;
    mutable bool whole = false;  // a set would not compile: every rule is a hit
    bool never_nl = false;       // patterns never match a line break (repairs)
    void compile() const;
    bool match(std::string_view text, std::vector<int>* hits) const;
    // The literals each rule cannot match without, in order (literals.h),
    // looked for in one pass; the sets answer where it cannot (text with the
    // Kelvin sign or the long s).
    LiteralFilter literal;
    bool candidates(std::string_view text, std::vector<int>* hits, LiteralScan* scan) const;
  };
  Filter claim_filter_, timex_filter_, repair_filter_;
  std::unique_ptr<RE2> repair_any_;  // every repair pattern in one alternation
  std::map<std::string, LexiconClass, std::less<>> lexicon_;
  // The same classes by name, hashed: lexicon() is asked several times per
  // claim (the keys are lexicon_'s, which never move).
  std::unordered_map<std::string_view, const LexiconClass*> lexicon_index_;
  std::map<std::string, std::string> fragments_;
  std::map<std::string, Entity> entities_;
  NameMatcher names_;                  // every alias; a hit's value indexes name_ids_
  std::vector<std::string> name_ids_;  // entity id, or "-" for a stop alias
  std::vector<std::unique_ptr<RE2>> boiler_line_, boiler_tail_;
  // Patterns are numbered line patterns first, then tail patterns. Those
  // anchored at the line's start (^, no alternative beside it) share one set
  // run anchored, which stops as soon as none can match any more; the others
  // (few: "all rights reserved") run one by one over the whole line.
  std::unique_ptr<RE2::Set> boiler_set_;
  std::vector<int> boiler_set_ids_;     // set index -> pattern number
  struct UnanchoredBoiler {
    int id = 0;  // pattern number
    // The pattern compiled never to match a line break, or null when it
    // reads the text's ends (^, $, \A, \z: a line's ends are not the
    // text's): one search of the whole text then finds the only lines the
    // pattern can match, instead of one call per line.
    std::unique_ptr<RE2> nl;
    // A string every match holds (lower case, ASCII case folded when
    // searching), found faster than the pattern; "" when it has none.
    std::string piece;
  };
  std::vector<UnanchoredBoiler> boiler_unanchored_;
  // Patterns anchored at the line's start that hold a rare string (a "|",
  // or four characters or more): tried alone, on the lines that hold it.
  // In the set, such a pattern kept the set reading a line to its first
  // full stop (`^[^.!?]{0,200}(\|...){3,}$`: half the set's time).
  struct PiecedBoiler {
    int id = 0;
    std::string piece;  // lower case
    // With bounded repeats unbounded ({0,200} -> *): a small DFA that
    // turns away most lines holding the piece before the exact pattern,
    // whose counted repeats RE2 runs a hundred times slower, confirms.
    std::unique_ptr<RE2> loose;
  };
  std::vector<PiecedBoiler> boiler_pieced_;
  bool boiler_empty_ = false;  // some pattern matches an empty line
  std::unique_ptr<RE2> basis_cue_;
  std::set<std::string> abbreviations_;
  TradingCalendar calendar_;
};

}  // namespace claimcheck
