// @brief The groups of a match whose span RE2 has already found, read by
// PCRE2's JIT instead of RE2's NFA.
//
// RE2 finds where a rule matches with its DFAs (fast), then fills the capture
// groups with a second engine. For a program of more than 512 instructions
// (most rules, once their fragments are expanded) that engine is the NFA,
// which spent about 2,000 instructions a byte of match: more than a third of
// extraction. Here the span is known, so a backtracking engine anchored at both
// ends finds the same groups: RE2's leftmost-first submatches are, by design,
// the ones a backtracking engine (Perl's order) gives, and the first path that
// ends exactly at the span's end is the one RE2's full-match NFA reports.
//
// The translation is exact or refused: `\s` becomes RE2's [\t\n\f\r ] (PCRE2's
// also holds \v), `$` means only the end of the text, and a construct whose
// meaning differs (\C, \S inside a class, \v, \pN without braces in PCRE2's
// reading...) makes `compile()` return null; that rule keeps RE2's path. At
// run time, anything but a match (a backtracking limit, a JIT stack limit)
// makes `capture()` return false and the caller asks RE2. The two engines are
// compared on every rule and every line of the corpus in capture_test.cc.
//
//   auto cap = SpanCapture::compile("(?P<v>rose|fell)\\s+(?P<n>\\d+)%", false);
//   re.Match(text, 0, text.size(), RE2::UNANCHORED, m, 1);       // the span
//   cap->capture(text, m[0] begin, m[0] end, m, re.NumberOfCapturingGroups() + 1);
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <re2/re2.h>

namespace claimcheck {

// The PCRE2 pattern that means what `re2_pattern` means to RE2 (UTF-8, the
// case as `case_sensitive` says), or nullopt when no exact translation is known.
std::optional<std::string> to_pcre2(std::string_view re2_pattern);

// True when `text` is well-formed UTF-8 (what PCRE2 may be given unchecked).
bool valid_utf8(std::string_view text);

class SpanCapture {
 public:
  // Null when the pattern cannot be translated or PCRE2 refuses it.
  static std::unique_ptr<SpanCapture> compile(std::string_view re2_pattern, bool case_sensitive);
  ~SpanCapture();
  SpanCapture(const SpanCapture&) = delete;
  SpanCapture& operator=(const SpanCapture&) = delete;

  // Fills groups[0, n) for the match text[begin, end), with text[0, size) as
  // the context that assertions (\b, ^, $) see, as RE2::Match does: an unset
  // group has data() == nullptr. `text` must be valid UTF-8 (the caller
  // checks). False when PCRE2 gave up; the caller then asks RE2.
  bool capture(std::string_view text, size_t begin, size_t end, re2::StringPiece* groups, int n) const;

  // The match beginning at text[begin] that RE2's anchored search finds
  // (the first in Perl's order, which RE2's leftmost-first matching follows),
  // with its groups in groups[0, n). kGaveUp: PCRE2 hit a limit; ask RE2.
  enum class Found { kMatch, kNoMatch, kGaveUp };
  Found match_at(std::string_view text, size_t begin, re2::StringPiece* groups, int n) const;

  int groups() const { return groups_; }

 private:
  SpanCapture() = default;
  void* code_ = nullptr;  // pcre2_code_8*
  int groups_ = 0;
};

}  // namespace claimcheck
