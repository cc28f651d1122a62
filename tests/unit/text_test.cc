// @brief Normalization offsets, masking and sentence splitting.
#include <catch2/catch.hpp>

#include "core/text.h"

#include <cstring>
#include <random>
#include <sstream>

#include "corpus_texts.h"

using claimcheck::Document;

TEST_CASE("text: offsets map normalized bytes back to the original", "[text]") {
  Document d;
  std::string err;
  // curly apostrophe (3 bytes) becomes ', no-break space (2 bytes) becomes ' '
  REQUIRE(Document::from_bytes("The Russell 2000\u2019s gain of 11.2%\u00a0so far", &d, &err));
  CHECK(d.norm == "The Russell 2000's gain of 11.2% so far");
  size_t at = d.norm.find("11.2%");
  CHECK(d.original.substr(d.orig(at), 5) == "11.2%");
  CHECK(d.orig(d.norm.size()) == d.original.size());
  CHECK(d.original_text({at, at + 5}) == "11.2%");
}

TEST_CASE("text: fullwidth digits, zero-width and bidi marks are normalized", "[text]") {
  Document d;
  std::string err;
  REQUIRE(Document::from_bytes("up \uFF11\uFF12.5\uFF05 and 3\u200B.1\u200F%", &d, &err));
  CHECK(d.norm == "up 12.5% and 3.1%");
}

TEST_CASE("text: invalid input is refused with the byte position", "[text]") {
  Document d;
  std::string err;
  CHECK_FALSE(Document::from_bytes(std::string("ab\xff", 3), &d, &err));
  CHECK(err.find("invalid UTF-8 at byte 2") != std::string::npos);
  CHECK_FALSE(Document::from_bytes(std::string("ab\0c", 4), &d, &err));
  CHECK(err.find("NUL byte at byte 2") != std::string::npos);
}

TEST_CASE("text: CRLF keeps offsets and a BOM is skipped", "[text]") {
  Document d;
  std::string err;
  REQUIRE(Document::from_bytes("\xEF\xBB\xBFline one.\r\nline two.", &d, &err));
  CHECK(d.norm == "line one. \nline two.");
  CHECK(d.orig(0) == 3);
}

TEST_CASE("text: every byte of ASCII text maps to its own offset", "[text]") {
  // A reading of the rules one character at a time: \r\n is a space and a
  // line break, a lone \r a line break, tab, form feed and vertical tab are
  // spaces, other ASCII stays; é (already composed) stays, both bytes mapped
  // to its first; a curly apostrophe becomes ', an ellipsis "...", a
  // fullwidth digit the digit, every byte mapped to the character's first;
  // a zero-width space vanishes.
  struct Wide { const char* in; const char* out; };
  const Wide wide[] = {{"\xC3\xA9", "\xC3\xA9"}, {"\u2019", "'"}, {"\u2026", "..."}, {"\uFF11", "1"}, {"\u200B", ""}};
  std::mt19937_64 rng(9);
  std::uniform_int_distribution<int> byte(1, 132), length(0, 80);
  size_t runs = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string in;
    std::vector<int> wide_at;  // which Wide starts at each byte of in, or -1
    for (int i = length(rng); i > 0; --i) {
      const int b = byte(rng);
      if (b >= 128) {
        const Wide& w = wide[b - 128];
        wide_at.push_back(b - 128);
        wide_at.insert(wide_at.end(), std::strlen(w.in) - 1, -1);
        in += w.in;
      } else {
        wide_at.push_back(-1);
        in += static_cast<char>(b);
      }
    }
    std::string norm;
    std::vector<uint32_t> map;
    for (size_t i = 0; i < in.size(); ++i) {
      const char c = in[i];
      if (static_cast<unsigned char>(c) >= 0x80) {
        const Wide& w = wide[wide_at[i]];
        norm += w.out;
        map.insert(map.end(), std::strlen(w.out), static_cast<uint32_t>(i));
        i += std::strlen(w.in) - 1;
        continue;
      }
      norm += c == '\r' ? (i + 1 < in.size() && in[i + 1] == '\n' ? ' ' : '\n') : (c == '\t' || c == '\f' || c == '\v') ? ' ' : c;
      map.push_back(static_cast<uint32_t>(i));
    }
    map.push_back(static_cast<uint32_t>(in.size()));
    Document d;
    std::string err;
    INFO("round " << round);
    REQUIRE(Document::from_bytes(in, &d, &err));
    REQUIRE(d.norm == norm);
    for (size_t k = 0; k < map.size(); ++k) {
      INFO("norm offset " << k);
      REQUIRE(d.orig(k) == map[k]);
    }
    runs += d.runs.size();
  }
  CHECK(runs < 3000 * 40);  // runs of copied bytes are kept whole
}

TEST_CASE("text: sentences keep U.S., initials and tickers together", "[text]") {
  std::set<std::string> abbr = {"U.S.", "Inc."};
  std::string t = "U.S. stocks rose as J. Yellen spoke. Apple Inc. gained 2%.\n$Dow Jones (.DJI.US)$ Increased by 0.7%.";
  auto s = claimcheck::split_sentences(t, abbr);
  REQUIRE(s.size() == 3);
  CHECK(t.substr(s[0].begin, s[0].size()) == "U.S. stocks rose as J. Yellen spoke.");
  CHECK(t.substr(s[1].begin, s[1].size()) == "Apple Inc. gained 2%.");
  CHECK(t.substr(s[2].begin, s[2].size()).find("Increased by 0.7%") != std::string::npos);
}

TEST_CASE("text: hard-wrapped lines are joined, paragraphs are not", "[text]") {
  std::string t = "The Nasdaq Composite index rose 2% in early trade on\nMonday after a slow start and\nended higher.\n\nShort Headline\nNew paragraph.";
  claimcheck::join_wrapped_lines(&t);
  CHECK(t == "The Nasdaq Composite index rose 2% in early trade on Monday after a slow start and ended higher.\n\nShort Headline\nNew paragraph.");
}

TEST_CASE("text: joining wrapped lines break by break is the byte-by-byte reading", "[text]") {
  // The byte-by-byte form of the rule, as it was written first: every line
  // break, in order, on the text as changed so far.
  auto reference = [](std::string s) {
    for (size_t i = 1; i + 1 < s.size(); ++i) {
      if (s[i] != '\n' || s[i - 1] == '\n' || s[i + 1] == '\n') continue;
      size_t b = i;
      while (b > 0 && s[b - 1] == ' ') --b;
      if (b == 0) continue;
      const char prev = s[b - 1];
      if (prev == '.' || prev == '!' || prev == '?' || prev == ':' || prev == '"' || prev == '|') continue;
      size_t a = i + 1;
      while (a < s.size() && s[a] == ' ') ++a;
      size_t line_start = s.rfind('\n', b - 1);
      line_start = line_start == std::string::npos ? 0 : line_start + 1;
      const bool long_line = b - line_start >= 50 && ((prev >= 'a' && prev <= 'z') || prev == ',');
      if (a < s.size() && ((s[a] >= 'a' && s[a] <= 'z') || long_line)) s[i] = ' ';
    }
    return s;
  };
  std::mt19937 rng(11);
  const std::vector<std::string> pieces = {"\n", "\n", " ", "  ", "a", "word", "Word", ".", ",", ":", "!", "\"", "|",
                                           "the quick brown fox jumps over the lazy dog and keeps going",
                                           "Headline", "x\n\ny"};
  size_t joined = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string t;
    const size_t n = rng() % 24;
    for (size_t k = 0; k < n; ++k) t += pieces[rng() % pieces.size()];
    const std::string want = reference(t);
    std::string got = t;
    claimcheck::join_wrapped_lines(&got);
    INFO("text: " << t);
    REQUIRE(got == want);
    joined += got != t;
  }
  CHECK(joined > 1000);  // the random texts do get joined
}

TEST_CASE("text: direct sentence boundaries are ICU's", "[text]") {
  using claimcheck::direct_sentence_breaks;
  using claimcheck::icu_sentence_breaks;
  std::vector<size_t> fast;
  // The rules by name: SB6 "3.5", SB7 "U.S", SB8 a lower-case word after a
  // full stop, SB8a a comma or terminator after one, SB9-SB11 quotes and
  // spaces after a terminator.
  for (const std::string s : {"Stocks rose 3.5% today. Bonds fell.", "The U.S. index rose. It fell.",
                              "He said no. and then left.", "Wait... what? Yes!! OK.", "\"Sold.\" Then (bought.) Again",
                              "etc.), more", "A. B. C", "x.  \t y", "end.", ".", "?!", "  ", "1.5.2024 rates", "a.B c.D"}) {
    INFO("text: " << s);
    REQUIRE(direct_sentence_breaks(s, &fast));
    CHECK(fast == icu_sentence_breaks(s));
  }
  // Not for it: line breaks, terminators beyond ASCII (the ideographic full
  // stop), combining marks (Extend).
  CHECK_FALSE(direct_sentence_breaks("one.\ntwo.", &fast));
  CHECK_FALSE(direct_sentence_breaks("Up 3%\xE3\x80\x82 Down", &fast));
  CHECK_FALSE(direct_sentence_breaks("cafe\xCC\x81. Next", &fast));

  // Characters beyond ASCII take their class from ICU's data: letters in
  // either case, curly quotes (Close), dashes (SContinue), no-break space
  // (Sp), ideographs (OLetter), currency signs (Other).
  std::mt19937 wide_rng(41);
  const std::vector<std::string> wide = {"\xC3\xA9", "\xC3\x89", "\xE2\x80\x99", "\xE2\x80\x9C", "\xE2\x80\x9D",
                                         "\xE2\x80\x94", "\xE2\x80\x93", "\xC2\xA0", "\xE4\xB8\xAD", "\xE2\x82\xAC",
                                         "\xCE\xA9", "\xC2\xBD", "\xE2\x80\xA6", "\xE3\x80\x82", "\xCC\x81",
                                         ".", " ", "a", "Z", "3", "!", "?", ",", "\"", ")", "-", "x"};
  size_t wide_compared = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const size_t len = 1 + wide_rng() % 12;
    for (size_t k = 0; k < len; ++k) s += wide[wide_rng() % wide.size()];
    if (!direct_sentence_breaks(s, &fast)) continue;
    INFO("text: [" << s << "]");
    CHECK(fast == icu_sentence_breaks(s));
    ++wide_compared;
  }
  CHECK(wide_compared > 5000);
  CHECK(direct_sentence_breaks("Le caf\xC3\xA9. Next \xE2\x80\x9Cquote.\xE2\x80\x9D And", &fast));

  // Random strings over the characters the rules distinguish, and every
  // line of the corpus that the direct path takes.
  std::mt19937 rng(29);
  const std::string alphabet = "aZ. !?,:;-\"')(][}{3\t#%&/x b";
  size_t compared = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const size_t len = 1 + rng() % 40;  // past 16 and 32: the bytes read sixteen at a time
    for (size_t k = 0; k < len; ++k) s += alphabet[rng() % alphabet.size()];
    REQUIRE(direct_sentence_breaks(s, &fast));
    INFO("text: [" << s << "]");
    CHECK(fast == icu_sentence_breaks(s));
    ++compared;
  }
  for (const std::string& t : corpus_texts(20, 31)) {
    std::istringstream in(t);
    std::string line;
    while (std::getline(in, line)) {
      if (!direct_sentence_breaks(line, &fast)) continue;
      INFO("line: " << line);
      CHECK(fast == icu_sentence_breaks(line));
      ++compared;
    }
  }
  CHECK(compared > 21000);

  // A control character other than tab, vertical tab and form feed, at any
  // place of a string of any length, sends it to ICU; those three do not.
  for (size_t len = 1; len <= 40; ++len)
    for (size_t at = 0; at < len; ++at) {
      std::string s(len, 'a');
      for (size_t k = 3; k < len; k += 7) s[k] = '.';
      for (const char c : {'\n', '\r', '\x01', '\x1F', '\x7F'}) {
        s[at] = c;
        INFO("length " << len << ", byte " << at << ": " << static_cast<int>(c));
        CHECK_FALSE(direct_sentence_breaks(s, &fast));
      }
      for (const char c : {'\t', '\v', '\f'}) {
        s[at] = c;
        INFO("length " << len << ", byte " << at << ": " << static_cast<int>(c));
        REQUIRE(direct_sentence_breaks(s, &fast));
        CHECK(fast == icu_sentence_breaks(s));
      }
    }
}

TEST_CASE("text: has_ascii_digit at every place and length, beside bytes beyond ASCII", "[text]") {
  // Sixteen bytes are read at a time: a digit at each place of strings of
  // every length around that width, amid bytes that sit next to '0' and '9'
  // and bytes with the top bit set.
  const std::string filler = "/:a\x80\xff\xb0\xb9 Z";
  std::mt19937 rng(3);
  for (size_t len = 0; len <= 40; ++len) {
    std::string s;
    for (size_t i = 0; i < len; ++i) s.push_back(filler[rng() % filler.size()]);
    INFO("length " << len);
    CHECK_FALSE(claimcheck::has_ascii_digit(s));
    for (size_t at = 0; at < len; ++at)
      for (char d : {'0', '5', '9'}) {
        std::string t = s;
        t[at] = d;
        INFO("digit at " << at);
        CHECK(claimcheck::has_ascii_digit(t));
        CHECK_FALSE(claimcheck::has_ascii_digit(std::string_view(t).substr(0, at)));
      }
  }
}
