// @brief An article's text: UTF-8 validation, normalization with an offset map,
// boilerplate masking and sentence segmentation.
//
// The extractor reads `norm`, a normalized copy of the original bytes: curly
// quotes and dashes become ASCII, no-break and other spaces become ' ',
// invisible marks (zero-width, bidi, BOM) vanish, fullwidth digits and other
// compatibility forms go through NFKC. Only non-ASCII runs are touched, so
// ASCII text costs one copy. `orig(i)` is the byte in the original file that
// produced norm[i]; orig(norm.size()) is original.size(). Offsets a claim
// reports are always original offsets.
//
//   Document doc;
//   std::string err;
//   if (!Document::from_bytes(bytes, &doc, &err)) { ... err: "invalid UTF-8 at byte 17" }
//   auto sentences = split_sentences(doc.norm, abbreviations);
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace claimcheck {

struct Span {
  size_t begin = 0, end = 0;
  size_t size() const { return end - begin; }
};

struct Document {
  std::string original;
  std::string norm;
  // The offset map, run by run: from norm[norm] up to the next run's start,
  // byte norm + k came from original[orig + k] (step 1: copied bytes) or
  // from the character at original[orig] (step 0: what one character beyond
  // ASCII became, such as "..." for an ellipsis). The last run reaches
  // norm.size(), which maps to original.size(). Ordered by norm; an ASCII
  // article is one run.
  struct Run { uint32_t norm, orig, step; };
  std::vector<Run> runs;

  // Validates UTF-8, rejects NUL bytes, normalizes. On failure *error says
  // what and where ("invalid UTF-8 at byte 17").
  static bool from_bytes(std::string bytes, Document* doc, std::string* error);
  // The original offset of norm[norm_pos] (norm_pos <= norm.size()).
  size_t orig(size_t norm_pos) const;
  // Original bytes for a span of norm.
  std::string original_text(Span s) const {
    return original.substr(orig(s.begin), orig(s.end) - orig(s.begin));
  }
};

// Whether text holds a digit 0-9 (asked of every paragraph and sentence
// before anything else).
bool has_ascii_digit(std::string_view text);

// Replaces every byte of the lines in `ranges` by spaces (newlines stay), so
// offsets do not move and masked text can never produce a claim.
void mask(std::string* text, const std::vector<Span>& ranges);

// Joins hard-wrapped lines: a single newline inside a paragraph becomes a
// space when the line before does not end a sentence and either the next line
// starts in lower case or the line before is long (50+ bytes, ending in a
// letter or comma: wrapping, not a headline). Length-preserving.
void join_wrapped_lines(std::string* text);

// Sentence spans over `text` (ICU's sentence breaker, then merges after the
// abbreviations given, e.g. "U.S.", "Inc.", single initials). Newlines end
// sentences (headlines and bullets are sentences of their own).
std::vector<Span> split_sentences(std::string_view text, const std::set<std::string>& abbreviations);

// Where ICU's sentence rules (UAX #29, the US English instance) put
// boundaries in text: 0, ..., text.size(). split_sentences() starts from these.
std::vector<size_t> icu_sentence_breaks(std::string_view text);
// The same boundaries computed directly for the common case (about 15 times
// faster than ICU): text of printable ASCII, spaces and tabs, and characters
// beyond ASCII whose sentence-break class (ICU's own data) is a letter,
// digit, space, quote, dash or other (é, curly quotes, em dashes, no-break
// spaces, currency signs, ideographs). False, with *out untouched, for any
// other text: line breaks, terminators beyond ASCII, Format and Extend
// characters. Held to ICU in text_test.cc.
bool direct_sentence_breaks(std::string_view text, std::vector<size_t>* out);

}  // namespace claimcheck
