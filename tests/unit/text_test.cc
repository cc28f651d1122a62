// @brief Normalization offsets, masking and sentence splitting.
#include <catch2/catch.hpp>

#include "core/text.h"

using claimcheck::Document;

TEST_CASE("text: offsets map normalized bytes back to the original", "[text]") {
  Document d;
  std::string err;
  // curly apostrophe (3 bytes) becomes ', no-break space (2 bytes) becomes ' '
  REQUIRE(Document::from_bytes("The Russell 2000\u2019s gain of 11.2%\u00a0so far", &d, &err));
  CHECK(d.norm == "The Russell 2000's gain of 11.2% so far");
  size_t at = d.norm.find("11.2%");
  CHECK(d.original.substr(d.orig(at), 5) == "11.2%");
  CHECK(d.to_orig.back() == d.original.size());
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
