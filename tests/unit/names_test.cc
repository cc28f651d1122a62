// @brief NameMatcher: whole words, case rules, separators, leftmost-longest;
// and agreement with a plain regex implementation of the same rules, on
// random text and on the shipped gazetteer over the corpus.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

#include <re2/re2.h>

#include "core/names.h"
#include "core/table.h"
#include "corpus_texts.h"

using claimcheck::NameMatcher;

namespace {

struct Alias {
  std::string text;
  bool exact;
};

NameMatcher matcher(const std::vector<Alias>& aliases) {
  NameMatcher m;
  for (size_t i = 0; i < aliases.size(); ++i) m.add(aliases[i].text, aliases[i].exact, static_cast<int>(i), 1.0);
  m.build();
  return m;
}

// "begin-end:value" for each hit, to compare at a glance.
std::vector<std::string> hits(const NameMatcher& m, const std::string& text) {
  std::vector<std::string> out;
  for (const auto& h : m.find(text)) out.push_back(text.substr(h.begin, h.end - h.begin) + "=" + std::to_string(h.value));
  return out;
}

bool word(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

std::string fold(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '-' || c == '\n' || c == '\t' || c == '\r' || c == '\f') { space = !out.empty(); continue; }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return out;
}

// The same rules the slow way: one leftmost-longest regex alternation, then
// the word, case and shorter-alias checks.
std::vector<std::string> reference(const std::vector<Alias>& aliases, const std::string& text) {
  std::map<std::string, int> any_case, exact;
  std::string src = "(?:";
  for (size_t i = 0; i < aliases.size(); ++i) {
    const Alias& a = aliases[i];
    (a.exact ? exact[a.text] : any_case[fold(a.text)]) = static_cast<int>(i);
    std::string lit;
    for (char c : a.text) lit += (c == ' ' || c == '-') && !a.exact ? "[\\s-]+" : RE2::QuoteMeta(std::string(1, c));
    src += (i ? "|" : "") + (a.exact ? "(?-i:" + lit + ")" : lit);
  }
  src += ")";
  RE2::Options o;
  o.set_case_sensitive(false);
  o.set_longest_match(true);
  RE2 re(src, o);
  auto lookup = [&](const std::string& m) -> int {
    if (auto s = exact.find(m); s != exact.end()) return s->second;
    if (auto i = any_case.find(fold(m)); i != any_case.end()) return i->second;
    return -1;
  };
  std::vector<std::string> out;
  re2::StringPiece input(text), m;
  size_t pos = 0;
  while (pos < text.size() && re.Match(input, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
    size_t b = static_cast<size_t>(m.data() - text.data()), e = b + m.size();
    bool left = b == 0 || !word(text[b - 1]) || !word(text[b]);
    auto right = [&](size_t end) { return end >= text.size() || !word(text[end]) || !word(text[end - 1]); };
    int hit = left ? lookup(std::string(m)) : -1;
    while (left && (!right(e) || hit < 0) && e > b + 1) {
      re2::StringPiece shorter;
      if (!re.Match(input, b, e - 1, RE2::ANCHOR_START, &shorter, 1) || shorter.empty()) break;
      e = b + shorter.size();
      hit = lookup(std::string(shorter));
    }
    if (left && right(e) && hit >= 0) {
      out.push_back(text.substr(b, e - b) + "=" + std::to_string(hit));
      pos = e;
    } else {
      pos = b + 1;
    }
  }
  return out;
}

// The same rules by brute force: at each place a name may begin, every place
// it may end, longest first, looked up by its folded text (no automaton, no
// regex). Checked against reference() on random text below.
std::vector<std::string> brute_force(const std::vector<Alias>& aliases, const std::string& text) {
  std::map<std::string, int> any_case, exact;
  size_t longest = 0;
  for (size_t i = 0; i < aliases.size(); ++i) {
    const Alias& a = aliases[i];
    (a.exact ? exact[a.text] : any_case[fold(a.text)]) = static_cast<int>(i);
    longest = std::max(longest, a.text.size());
  }
  auto sep = [](char c) { return c == ' ' || c == '-' || c == '\n' || c == '\t' || c == '\r' || c == '\f'; };
  std::vector<std::string> out;
  for (size_t b = 0; b < text.size(); ++b) {
    if (sep(text[b]) || (b > 0 && word(text[b - 1]) && word(text[b]))) continue;
    // Runs of separators fold to one: a name may span more bytes than its alias.
    size_t limit = b, folded = 0;
    while (limit < text.size() && folded <= longest) {
      size_t j = limit + 1;
      if (sep(text[limit]))
        while (j < text.size() && sep(text[j])) ++j;
      limit = j;
      ++folded;
    }
    for (size_t e = limit; e > b; --e) {
      if (sep(text[e - 1]) || (e < text.size() && word(text[e]) && word(text[e - 1]))) continue;
      const std::string m = text.substr(b, e - b);
      int hit = -1;
      if (auto x = exact.find(m); x != exact.end()) hit = x->second;
      else if (auto i = any_case.find(fold(m)); i != any_case.end()) hit = i->second;
      if (hit < 0) continue;
      out.push_back(m + "=" + std::to_string(hit));
      b = e - 1;
      break;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("names: any case, whole words, spaces and hyphens alike", "[names]") {
  auto m = matcher({{"Russell 2000", false}, {"S&P 500", false}, {"Dow", false}});
  CHECK(hits(m, "The russell-2000 and the S&P  500 rose") == std::vector<std::string>{"russell-2000=0", "S&P  500=1"});
  CHECK(hits(m, "Dowling and Snowdow are not the Dow.") == std::vector<std::string>{"Dow=2"});
  CHECK(hits(m, "Russell\n2000") == std::vector<std::string>{"Russell\n2000=0"});
}

TEST_CASE("names: exact-case aliases match their bytes only", "[names]") {
  auto m = matcher({{"SPX", true}, {"DOW", true}, {"Dow Jones", false}});
  CHECK(hits(m, "SPX rose; spx did not") == std::vector<std::string>{"SPX=0"});
  CHECK(hits(m, "dow jones and DOW") == std::vector<std::string>{"dow jones=2", "DOW=1"});
}

TEST_CASE("names: the longest name wins, and a shorter one when the longest runs on", "[names]") {
  auto m = matcher({{"Nikkei", false}, {"Nikkei 225", false}, {"Nikkei Average", false}, {"Dow Jones Market Data", false}, {"Dow Jones", false}});
  CHECK(hits(m, "the Nikkei 225 rose") == std::vector<std::string>{"Nikkei 225=1"});
  CHECK(hits(m, "the Nikkei averaged") == std::vector<std::string>{"Nikkei=0"});
  CHECK(hits(m, "per Dow Jones Market Data, the Dow Jones fell") ==
        std::vector<std::string>{"Dow Jones Market Data=3", "Dow Jones=4"});
  CHECK(hits(m, "Nikkei2250").empty());
}

TEST_CASE("names: a later row for the same spelling replaces the earlier one", "[names]") {
  NameMatcher m;
  m.add("Dow", false, 1, 0.5);
  m.add("dow", false, 2, 0.9);
  m.build();
  auto h = m.find("the Dow");
  REQUIRE(h.size() == 1);
  CHECK(h[0].value == 2);
  CHECK(h[0].confidence == 0.9);
}

TEST_CASE("names: agrees with a regex alternation on random text", "[names]") {
  const std::vector<Alias> aliases = {
      {"S&P 500", false}, {"S&P", false}, {"SPX", true}, {"US500", true}, {"Russell 2000", false},
      {"Russell", false}, {"RUT", true}, {".RUT.US", true}, {"Dow", false}, {"Dow Jones", false},
      {"Dow Jones Industrial Average", false}, {"Dow Jones Market Data", false}, {"Nasdaq", false},
      {"Nasdaq 100", false}, {"Nasdaq-100", false}, {"QQQ", true}, {"10-year", false}, {"10 year yield", false},
      {"gold", false}, {"Gold Trust", false}, {"GLD", true}, {"Hang Seng", false}, {"HSI", true}};
  auto m = matcher(aliases);
  const std::vector<std::string> pieces = {
      "S&P", "500", "SPX", "spx", "US500", "Russell", "2000", "RUT", "rut", ".RUT.US", "Dow", "DOW", "Jones",
      "Industrial", "Average", "Market", "Data", "Nasdaq", "100", "QQQ", "10", "year", "yield", "gold", "Gold",
      "Trust", "GLD", "Hang", "Seng", "HSI", "the", "rose", "x", "-", " ", "  ", "\n", ",", ".", "(", ")", "a1", "$"};
  std::mt19937 rng(11);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 14);
    for (int i = 0; i < n; ++i) {
      text += pieces[rng() % pieces.size()];
      if (rng() % 3) text += rng() % 5 ? " " : (rng() % 2 ? "-" : "");
    }
    INFO("text: [" << text << "]");
    const auto want = reference(aliases, text);
    REQUIRE(hits(m, text) == want);
    REQUIRE(brute_force(aliases, text) == want);
  }
}

// The packed trie has two kinds of node: a row indexed by byte class (a node
// with eight children or more) and a short list of (class, child) pairs.
// Names that branch wide after one shared letter ("b" then twelve letters)
// and narrow after it, tried on every such word and its near misses.
TEST_CASE("names: wide and narrow branches of the trie find the same names", "[names]") {
  std::vector<Alias> aliases;
  for (char c = 'a'; c <= 'l'; ++c) aliases.push_back({std::string("b") + c + "x", false});   // 12 children of "b"
  for (char c = 'a'; c <= 'l'; ++c) aliases.push_back({std::string("b") + c + "x fund", false});
  aliases.push_back({"bz", false});                                                         // and a 13th
  aliases.push_back({"qr", false});                                                         // one child of "q"
  aliases.push_back({"qrs", true});
  auto m = matcher(aliases);
  std::vector<std::string> words = {"bz", "qr", "qrs", "QRS", "qrt", "b", "bx", "bmx", "bax fun", "BLX-fund"};
  for (char c = 'a'; c <= 'n'; ++c) {
    words.push_back(std::string("b") + c + "x");
    words.push_back(std::string("B") + c + "X fund");
    words.push_back(std::string("b") + c + "y");
  }
  std::mt19937 rng(5);
  for (int round = 0; round < 400; ++round) {
    std::string text;
    for (int i = 0, n = 1 + static_cast<int>(rng() % 6); i < n; ++i) text += words[rng() % words.size()] + " ";
    INFO("text: [" << text << "]");
    const auto want = reference(aliases, text);
    REQUIRE(hits(m, text) == want);
  }
  CHECK(hits(m, "the bkx fund and bcx, bz, qr and QRS") ==
        std::vector<std::string>{"bkx fund=22", "bcx=2", "bz=24", "qr=25"});
}

// The whole gazetteer (rules/tables/aliases.tsv, ~3,000 aliases whose keys
// share long prefixes) on the shipped and generated articles: the trie's
// walks through separators, exact-case tickers and longest-first fallbacks
// against brute force.
TEST_CASE("names: the shipped gazetteer agrees with brute force on the corpus", "[names]") {
  claimcheck::Table t;
  std::string err;
  REQUIRE(t.load(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules/tables/aliases.tsv", {"alias", "id", "match", "confidence"}, &err));
  std::vector<Alias> aliases;
  for (const auto& row : t.rows()) aliases.push_back({row.cells[0], row.cells[2] == "s"});
  REQUIRE(aliases.size() > 1000);
  auto m = matcher(aliases);
  size_t names = 0, texts = 0;
  for (const std::string& text : corpus_texts(20, 5)) {
    INFO("text " << texts++);
    const auto want = brute_force(aliases, text);
    CHECK(hits(m, text) == want);
    names += want.size();
  }
  CHECK(names > 1000);
}
