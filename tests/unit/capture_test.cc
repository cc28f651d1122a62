// Tests for core/capture.h: the RE2 -> PCRE2 translation, and PCRE2's groups
// for a span RE2 found, held to RE2's own groups on every shipped rule.
#include <catch2/catch.hpp>

#include <cctype>
#include <sstream>

#include "core/capture.h"
#include "core/ruleset.h"
#include "corpus_texts.h"

namespace {

// RE2's groups for every match of `re` in text, left to right, as the
// extractor walks them; `fast` takes the span from RE2 and the groups from
// PCRE2 (falling back to RE2 as the extractor does).
std::vector<std::vector<std::pair<long, long>>> walk(const RE2& re, const claimcheck::SpanCapture* cap,
                                                     const std::string& text) {
  const int n = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> m(static_cast<size_t>(n));
  std::vector<std::vector<std::pair<long, long>>> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    bool found;
    if (!cap) {
      found = re.Match(text, pos, text.size(), RE2::UNANCHORED, m.data(), n);
    } else {
      found = re.Match(text, pos, text.size(), RE2::UNANCHORED, m.data(), 1);
      if (found) {
        const size_t b = static_cast<size_t>(m[0].data() - text.data()), e = b + m[0].size();
        if (!cap->capture(text, b, e, m.data(), n)) found = re.Match(text, b, e, RE2::ANCHOR_BOTH, m.data(), n);
      }
    }
    if (!found) break;
    std::vector<std::pair<long, long>> g;
    for (const auto& sp : m)
      g.push_back(sp.data() ? std::pair<long, long>{sp.data() - text.data(), static_cast<long>(sp.size())}
                            : std::pair<long, long>{-1, -1});
    out.push_back(g);
    const size_t b = static_cast<size_t>(m[0].data() - text.data());
    pos = m[0].empty() ? b + 1 : b + m[0].size();
  }
  return out;
}

// The match beginning at text[pos] and its groups, as RE2's anchored search
// gives them, or as SpanCapture::match_at gives them (`cap`); empty: none.
std::vector<std::pair<long, long>> anchored_at(const RE2& re, const claimcheck::SpanCapture* cap,
                                               const std::string& text, size_t pos) {
  const int n = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> m(static_cast<size_t>(n));
  if (cap) {
    const auto found = cap->match_at(text, pos, m.data(), n);
    if (found == claimcheck::SpanCapture::Found::kNoMatch) return {};
    if (found == claimcheck::SpanCapture::Found::kGaveUp) return {{-2, -2}};
  } else if (!re.Match(text, pos, text.size(), RE2::ANCHOR_START, m.data(), n)) {
    return {};
  }
  std::vector<std::pair<long, long>> g;
  for (const auto& sp : m)
    g.push_back(sp.data() ? std::pair<long, long>{sp.data() - text.data(), static_cast<long>(sp.size())}
                          : std::pair<long, long>{-1, -1});
  return g;
}

std::vector<std::pair<long, long>> groups_of(const std::string& pattern, const std::string& text, size_t b, size_t e) {
  RE2 re(pattern, RE2::Quiet);
  auto cap = claimcheck::SpanCapture::compile(pattern, true);
  REQUIRE(re.ok());
  REQUIRE(cap);
  const int n = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> m(static_cast<size_t>(n));
  if (!cap->capture(text, b, e, m.data(), n)) return {};
  std::vector<std::pair<long, long>> g;
  for (const auto& sp : m)
    g.push_back(sp.data() ? std::pair<long, long>{sp.data() - text.data(), static_cast<long>(sp.size())}
                          : std::pair<long, long>{-1, -1});
  return g;
}

using G = std::vector<std::pair<long, long>>;

}  // namespace

TEST_CASE("capture: RE2 syntax is translated exactly or refused", "[capture]") {
  using claimcheck::to_pcre2;
  // RE2's \s has no vertical tab; PCRE2's has.
  CHECK(to_pcre2(R"(rose\s+\d)") == std::optional<std::string>(R"(rose[\t\n\f\r ]+\d)"));
  CHECK(to_pcre2(R"([^\s,;:]+)") == std::optional<std::string>(R"([^\t\n\f\r ,;:]+)"));
  CHECK(to_pcre2(R"(\S+)") == std::optional<std::string>(R"([^\t\n\f\r ]+)"));
  // $ is the end of the text only, as in RE2 without (?m).
  CHECK(to_pcre2(R"(a$)") == std::optional<std::string>(R"(a\z)"));
  CHECK(to_pcre2(R"([$]\d)") == std::optional<std::string>(R"([$]\d)"));
  CHECK(to_pcre2(R"(\$\d)") == std::optional<std::string>(R"(\$\d)"));
  // A ] first in a class is the character.
  CHECK(to_pcre2(R"([]a]\s)") == std::optional<std::string>(R"([]a][\t\n\f\r ])"));
  // RE2 folds \w without case to hold the long s and the Kelvin sign; PCRE2
  // folds the s and k of a class.
  CHECK(to_pcre2(R"(\w+)") == std::optional<std::string>(R"([\wsk]+)"));
  CHECK(to_pcre2(R"([\w.-]+)") == std::optional<std::string>(R"([\wsk.-]+)"));
  CHECK(to_pcre2(R"(\W)") == std::optional<std::string>(R"([^\wsk])"));
  CHECK(to_pcre2(R"((?P<num>\d+)(?i:pct))") == std::optional<std::string>(R"((?P<num>\d+)(?i:pct))"));
  // No exact spelling: refused, and the rule keeps RE2.
  CHECK_FALSE(to_pcre2(R"([^\S\n])"));
  CHECK_FALSE(to_pcre2(R"([\W_])"));
  CHECK_FALSE(to_pcre2(R"([[:alpha:]\s])"));  // RE2 folds POSIX classes and \p without case
  CHECK_FALSE(to_pcre2(R"(\p{Lu})"));
  CHECK_FALSE(to_pcre2(R"(a\Cb)"));
  CHECK_FALSE(to_pcre2(R"((?m)^a$)"));
  CHECK_FALSE(to_pcre2(R"(\Qa.b\E)"));
  CHECK_FALSE(to_pcre2(R"([a-z)"));
  CHECK_FALSE(to_pcre2("a\\"));
}

TEST_CASE("capture: the groups are RE2's for the same span", "[capture]") {
  // Greedy and lazy quantifiers, alternation order.
  CHECK(groups_of(R"((?P<a>\d+)(?P<b>\d*))", "12345", 0, 5) == G{{0, 5}, {0, 5}, {5, 0}});
  CHECK(groups_of(R"((?P<a>\d+?)(?P<b>\d*))", "12345", 0, 5) == G{{0, 5}, {0, 1}, {1, 4}});
  // The first alternative would end early: the path that reaches the span's
  // end wins, as in RE2's full match.
  CHECK(groups_of(R"((?P<w>rose|rose sharply)(?P<t>.*))", "rose sharply", 0, 12) == G{{0, 12}, {0, 4}, {4, 8}});
  CHECK(groups_of(R"((?P<w>rose|rose sharply)(?P<t>.*))", "rose sharply", 0, 4) == G{{0, 4}, {0, 4}, {4, 0}});
  // A group that took no part is unset, not empty.
  CHECK(groups_of(R"((?P<q>about )?(?P<n>\d+))", "up 3", 3, 4) == G{{3, 1}, {-1, -1}, {3, 1}});
  // Assertions see the text around the span: \b after "3" holds before a
  // space, not before a letter.
  CHECK(groups_of(R"((?P<n>\d)\b)", "3 x", 0, 1) == G{{0, 1}, {0, 1}});
  CHECK(groups_of(R"((?P<n>\d)\b)", "3x", 0, 1).empty());
  CHECK(groups_of(R"(\b(?P<n>\d))", "a3", 1, 2).empty());
  // A span the pattern cannot match gives false (the caller asks RE2).
  CHECK(groups_of(R"((?P<n>\d+)%)", "3 points", 0, 8).empty());
}

TEST_CASE("capture: case folding beyond ASCII reads as RE2 reads it", "[capture]") {
  // RE2 folds the Kelvin sign (U+212A) with k and the long s (U+017F) with s.
  const std::string text = "the \xE2\x84\xAA" "ELVIN index ro\xC5\xBF" "e 3%";
  RE2::Options o;
  o.set_case_sensitive(false);
  RE2 re(R"((?P<w>kelvin)\s+index\s+(?P<v>rose)\s+(?P<n>\d)%)", o);
  REQUIRE(re.ok());
  auto cap = claimcheck::SpanCapture::compile(re.pattern(), false);
  REQUIRE(cap);
  const auto slow = walk(re, nullptr, text);
  REQUIRE(slow.size() == 1);
  CHECK(walk(re, cap.get(), text) == slow);
  // \w takes them too, and \W does not.
  const std::string cents = "down 19 CENT\xC5\xBF. then";
  RE2 word(R"((?P<n>\d+)\s+(?P<w>[\w.]+)\W)", o);
  auto word_cap = claimcheck::SpanCapture::compile(word.pattern(), false);
  REQUIRE(word_cap);
  const auto want = anchored_at(word, nullptr, cents, 5);
  REQUIRE(want.size() == 3);
  CHECK(want[2].second == 7);  // "CENTſ."
  CHECK(anchored_at(word, word_cap.get(), cents, 5) == want);
}

TEST_CASE("capture: valid_utf8", "[capture]") {
  using claimcheck::valid_utf8;
  CHECK(valid_utf8(""));
  CHECK(valid_utf8("plain ASCII"));
  CHECK(valid_utf8("\xE2\x82\xAC 3 \xE4\xB8\x87"));  // euro, CJK
  CHECK(valid_utf8("\xF0\x9F\x93\x88"));             // 4 bytes
  CHECK_FALSE(valid_utf8("\xE2\x82"));               // cut short
  CHECK_FALSE(valid_utf8("a\x80z"));                 // stray continuation
  CHECK_FALSE(valid_utf8("\xC0\xAF"));               // overlong
  CHECK_FALSE(valid_utf8("\xED\xA0\x80"));           // surrogate
  CHECK_FALSE(valid_utf8("\xF4\x90\x80\x80"));       // beyond U+10FFFF
}

TEST_CASE("capture: every shipped rule gives RE2's groups on corpus and generated text", "[capture][rules]") {
  std::vector<std::string> errors;
  auto rs = claimcheck::RuleSet::load(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules", &errors);
  REQUIRE(rs);
  // Every shipped rule has an exact translation today; a new rule without one
  // still works (RE2 reads its groups, more slowly) but should be noticed.
  for (const auto& r : rs->rules()) {
    INFO("rule " << r->id << " (" << r->file << ":" << r->line << ") has no PCRE2 translation");
    CHECK(r->capture);
  }

  const std::vector<std::string> texts = corpus_texts(40, 7);
  REQUIRE(texts.size() >= 60);

  // Each line as written, and upper-cased with the Kelvin sign and the long s
  // standing in for k and s (folding beyond ASCII).
  std::vector<std::string> lines;
  for (const std::string& t : texts) {
    std::istringstream in(t);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      lines.push_back(line);
      if (lines.size() % 7 == 0) {
        std::string odd;
        for (char c : line) {
          if (c == 'k') odd += "\xE2\x84\xAA";
          else if (c == 's') odd += "\xC5\xBF";
          else odd += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        lines.push_back(odd);
      }
    }
  }
  size_t compared = 0, anchored = 0;
  for (const auto& r : rs->rules()) {
    if (!r->capture) continue;
    for (const std::string& line : lines) {
      if (!RE2::PartialMatch(line, *r->re)) continue;
      const auto slow = walk(*r->re, nullptr, line);
      INFO("rule " << r->id << "\nline: " << line);
      CHECK(walk(*r->re, r->capture.get(), line) == slow);
      compared += slow.size();
      // Anchored at every character of the line but those inside a run of
      // letters (the suite also runs under ASan): the same match (or none)
      // and the same groups from PCRE2 as from RE2 (the extractor's probes).
      const auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
      for (size_t pos = 0; pos < line.size(); ++pos) {
        if ((static_cast<unsigned char>(line[pos]) & 0xC0) == 0x80) continue;
        if (pos > 0 && letter(line[pos - 1]) && letter(line[pos])) continue;
        const auto want = anchored_at(*r->re, nullptr, line, pos);
        INFO("anchored at " << pos);
        CHECK(anchored_at(*r->re, r->capture.get(), line, pos) == want);
        anchored += want.empty() ? 0 : 1;
      }
    }
  }
  CHECK(compared > 2000);
  CHECK(anchored > 2000);
}
