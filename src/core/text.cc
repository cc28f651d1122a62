// @brief Text normalization and segmentation. Tested by text_test.cc.
#include "core/text.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace claimcheck {
namespace {

// Replacement for one code point, or nullptr to fall back to NFKC.
const char* special(int32_t cp) {
  switch (cp) {
    case 0x00A0: case 0x2007: case 0x2008: case 0x2009: case 0x200A: case 0x202F:
    case 0x205F: case 0x3000: case 0x2002: case 0x2003: case 0x2004: case 0x2005:
    case 0x2006: case 0x2000: case 0x2001:
      return " ";
    case 0x200B: case 0x200C: case 0x200D: case 0x200E: case 0x200F: case 0x202A:
    case 0x202B: case 0x202C: case 0x202D: case 0x202E: case 0x2060: case 0x2066:
    case 0x2067: case 0x2068: case 0x2069: case 0xFEFF: case 0x00AD:
      return "";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
      return "-";
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC:
      return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB:
    case 0x00BB:
      return "\"";
    case 0x2026:
      return "...";
    case 0x2028: case 0x2029: case 0x0085:
      return "\n";
    default:
      return nullptr;
  }
}

// The length of the run at the start of p[0, n) that normalization leaves
// as it is: printable ASCII and line feeds.
size_t plain_run(const unsigned char* p, size_t n) {
  size_t j = 0;
#ifdef __SSE2__
  // Sixteen bytes at a time. As signed bytes, printable ASCII is above 0x1F
  // and bytes beyond ASCII are negative.
  const __m128i low = _mm_set1_epi8(0x1F), lf = _mm_set1_epi8('\n');
  for (; j + 16 <= n; j += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + j));
    const __m128i ok = _mm_or_si128(_mm_cmpgt_epi8(v, low), _mm_cmpeq_epi8(v, lf));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(ok));
    if (mask != 0xFFFF) return j + static_cast<size_t>(__builtin_ctz(~mask));
  }
#endif
  while (j < n && ((p[j] >= 0x20 && p[j] < 0x80) || p[j] == '\n')) ++j;
  return j;
}

}  // namespace

size_t Document::orig(size_t norm_pos) const {
  // The last run that starts at or before norm_pos.
  auto it = std::upper_bound(runs.begin(), runs.end(), norm_pos,
                             [](size_t pos, const Run& r) { return pos < r.norm; });
  if (it == runs.begin()) return norm_pos;  // no runs: an empty document
  --it;
  return it->orig + (it->step ? norm_pos - it->norm : 0);
}

bool Document::from_bytes(std::string bytes, Document* doc, std::string* error) {
  doc->original = std::move(bytes);
  const std::string& in = doc->original;
  doc->norm.clear();
  doc->runs.clear();
  doc->norm.reserve(in.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(in.data());
  const size_t n = in.size();
  // norm from here on comes from original[orig] on: one byte for one
  // (linear) or every byte from the one character at orig.
  auto map_from = [doc](size_t orig, bool linear) {
    const auto at = static_cast<uint32_t>(doc->norm.size());
    if (!doc->runs.empty()) {
      const Run& r = doc->runs.back();
      if (r.norm == at) doc->runs.pop_back();  // the run before holds no byte
      else if (r.step && linear && at - r.norm == orig - r.orig) return;  // it goes on
    }
    doc->runs.push_back({at, static_cast<uint32_t>(orig), linear ? 1u : 0u});
  };
  size_t i = 0;
  // A BOM at the very start is not text.
  if (n >= 3 && std::memcmp(in.data(), "\xEF\xBB\xBF", 3) == 0) i = 3;
  while (i < n) {
    // A run of bytes that stay as they are (printable ASCII and line
    // breaks): copied at once, each mapped to itself.
    const size_t j = i + plain_run(p + i, n - i);
    if (j > i) {
      map_from(i, true);
      doc->norm.append(in, i, j - i);
      i = j;
      continue;
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      if (c == 0) {
        *error = "contains a NUL byte at byte " + std::to_string(i) + " (binary file?)";
        return false;
      }
      char out = static_cast<char>(c);
      if (c == '\r') out = (i + 1 < n && p[i + 1] == '\n') ? ' ' : '\n';
      else if (c == '\t' || c == '\f' || c == '\v') out = ' ';
      map_from(i, true);
      doc->norm.push_back(out);
      ++i;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(n - i), &cp);
    if (len < 0) {
      *error = "invalid UTF-8 at byte " + std::to_string(i) + " (convert the file to UTF-8)";
      return false;
    }
    map_from(i, false);
    if (const char* rep = special(cp)) {
      doc->norm += rep;
    } else {
      utf8proc_uint8_t* out = nullptr;
      utf8proc_ssize_t m = utf8proc_map(p + i, len, &out,
                                        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
      if (m >= 0 && out) doc->norm.append(reinterpret_cast<char*>(out), static_cast<size_t>(m));
      else doc->norm.append(in, i, static_cast<size_t>(len));
      std::free(out);
    }
    i += static_cast<size_t>(len);
  }
  map_from(n, true);
  return true;
}

void mask(std::string* text, const std::vector<Span>& ranges) {
  for (const Span& s : ranges)
    for (size_t i = s.begin; i < s.end && i < text->size(); ++i)
      if ((*text)[i] != '\n') (*text)[i] = ' ';
}

void join_wrapped_lines(std::string* t) {
  std::string& s = *t;
  // From line break to line break (memchr); a break turned into a space is
  // never looked at again, and no later one is changed before it is reached.
  for (size_t i = s.find('\n', 1); i != std::string::npos && i + 1 < s.size(); i = s.find('\n', i + 1)) {
    if (s[i - 1] == '\n' || s[i + 1] == '\n') continue;
    size_t b = i;
    while (b > 0 && s[b - 1] == ' ') --b;
    if (b == 0) continue;
    char prev = s[b - 1];
    if (prev == '.' || prev == '!' || prev == '?' || prev == ':' || prev == '"' || prev == '|') continue;
    size_t a = i + 1;
    while (a < s.size() && s[a] == ' ') ++a;
    // A long line cut mid-sentence is wrapping; a short one is a headline.
    size_t line_start = s.rfind('\n', b - 1);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    bool long_line = b - line_start >= 50 && ((prev >= 'a' && prev <= 'z') || prev == ',');
    if (a < s.size() && ((s[a] >= 'a' && s[a] <= 'z') || long_line)) s[i] = ' ';
  }
}

namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// True when the text before `end` (a proposed break) ends with an
// abbreviation or an initial, so the break is not a sentence end.
bool ends_with_abbreviation(std::string_view text, size_t end, const std::set<std::string>& abbr) {
  size_t e = end;
  while (e > 0 && text[e - 1] == ' ') --e;
  if (e == 0 || text[e - 1] != '.') return false;
  // Never merge across a newline.
  for (size_t k = e; k < end; ++k)
    if (text[k] == '\n') return false;
  size_t b = e;
  while (b > 0 && text[b - 1] != ' ' && text[b - 1] != '\n' && text[b - 1] != '(' && text[b - 1] != '"') --b;
  std::string word(text.substr(b, e - b));
  if (abbr.count(word)) return true;
  // A single capital initial: "J. Yellen".
  if (word.size() == 2 && is_upper(word[0])) return true;
  // Dotted acronyms such as "U.K." or "a.m.".
  if (word.size() >= 4 && word.size() <= 6) {
    bool dotted = true;
    for (size_t k = 0; k < word.size(); ++k)
      if ((k % 2 == 0 && !is_alpha(word[k])) || (k % 2 == 1 && word[k] != '.')) dotted = false;
    if (dotted) return true;
  }
  return false;
}

}  // namespace

std::vector<size_t> icu_sentence_breaks(std::string_view text) {
  std::vector<size_t> breaks;
  UErrorCode status = U_ZERO_ERROR;
  thread_local std::unique_ptr<icu::BreakIterator> proto;
  if (!proto) {
    proto.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getUS(), status));
    if (U_FAILURE(status)) proto.reset();
  }
  if (proto) {
    UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
    proto->setText(ut, status);
    for (int32_t b = proto->first(); b != icu::BreakIterator::DONE; b = proto->next())
      breaks.push_back(static_cast<size_t>(b));
    utext_close(ut);
  }
  return breaks;
}

namespace {

// Sentence_Break classes (UAX #29, table 4), with two markers of our own.
enum class SB : uint8_t { kOther, kSp, kLower, kUpper, kNumeric, kATerm, kSTerm, kSContinue, kClose, kOLetter,
                          kCont,      // a byte that continues a character
                          kRefused };  // a character left to ICU (wide_class)

SB sb_class(unsigned char c) {
  if (c == ' ' || c == '\t' || c == '\v' || c == '\f') return SB::kSp;
  if (c >= 'a' && c <= 'z') return SB::kLower;
  if (c >= 'A' && c <= 'Z') return SB::kUpper;
  if (c >= '0' && c <= '9') return SB::kNumeric;
  switch (c) {
    case '.': return SB::kATerm;
    case '!': case '?': return SB::kSTerm;
    case ',': case '-': case ':': return SB::kSContinue;
    case '"': case '\'': case '(': case ')': case '[': case ']': case '{': case '}': return SB::kClose;
    default: return SB::kOther;
  }
}

// Where the next ASCII terminator (. ! ?) is at or after `from`; text.size()
// when there is none. Sixteen bytes at a time where SSE2 is there.
size_t next_terminator(std::string_view text, size_t from) {
  const size_t n = text.size();
  const auto* const d = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = from;
#ifdef __SSE2__
  const __m128i dot = _mm_set1_epi8('.'), bang = _mm_set1_epi8('!'), ask = _mm_set1_epi8('?');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
    const __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, dot), _mm_or_si128(_mm_cmpeq_epi8(v, bang), _mm_cmpeq_epi8(v, ask)));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (mask) return i + static_cast<size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < n; ++i)
    if (d[i] == '.' || d[i] == '!' || d[i] == '?') return i;
  return n;
}

// Whether the direct path may read text: 0 when it holds an ASCII control
// character other than tab, vertical tab and form feed (line breaks are
// ICU's to judge), else 1 for ASCII only and 2 with bytes beyond ASCII.
int direct_readable(std::string_view text) {
  const auto* const d = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  bool wide = false;
  size_t i = 0;
#ifdef __SSE2__
  const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F), tab = _mm_set1_epi8('\t'),
                vt = _mm_set1_epi8('\v'), ff = _mm_set1_epi8('\f');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
    const unsigned high = static_cast<unsigned>(_mm_movemask_epi8(v));  // bytes beyond ASCII
    // As signed bytes, controls are below 0x20 (and so is every byte beyond
    // ASCII, taken out with `high`), or 0x7F.
    const __m128i ctrl = _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del));
    const __m128i ok = _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_or_si128(_mm_cmpeq_epi8(v, vt), _mm_cmpeq_epi8(v, ff)));
    if (static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(ok, ctrl))) & ~high) return 0;
    wide = wide || high != 0;
  }
#endif
  for (; i < n; ++i) {
    const unsigned char c = d[i];
    if (c >= 0x80) {
      wide = true;
      continue;
    }
    if (static_cast<unsigned char>(c - 0x20) >= 0x5F && c != '\t' && c != '\v' && c != '\f') return 0;
  }
  return wide ? 2 : 1;
}

// UAX #29 from rule SB6 on, over text whose characters all have a class
// above (no line or paragraph separators, no Format or Extend characters, so
// rules SB3-SB5 never apply, and only the ASCII terminators . ! ?).
// cls(i): the class of the character that begins at byte i; next(i): where
// the next one begins; prev(i): where the one before i begins.
template <class Cls, class Next, class Prev>
void uax29_breaks(std::string_view text, const Cls& cls, const Next& next, const Prev& prev, std::vector<size_t>* out) {
  out->clear();
  out->push_back(0);
  const size_t n = text.size();
  // A boundary can only follow SATerm Close* Sp*: walk each terminator.
  for (size_t k = next_terminator(text, 0); k < n; k = next_terminator(text, k + 1)) {
    const char tc = text[k];
    const SB t = tc == '.' ? SB::kATerm : SB::kSTerm;
    size_t p = k + 1;
    while (p < n && cls(p) == SB::kClose) p = next(p);  // SB9: SATerm Close* x Close
    const bool closes = p != k + 1;
    while (p < n && cls(p) == SB::kSp) p = next(p);     // SB9, SB10: x Sp
    if (p >= n) break;                                  // the end of the text ends it anyway
    // p is the first character after SATerm Close* Sp*; is there a break before it?
    const SB b = cls(p);
    if (b == SB::kSContinue || b == SB::kATerm || b == SB::kSTerm) continue;  // SB8a
    if (t == SB::kATerm) {
      if (!closes && p == k + 1) {
        if (b == SB::kNumeric) continue;  // SB6: "3.5"
        if (b == SB::kUpper && k > 0) {   // SB7: "U.S"
          const SB before = cls(prev(k));
          if (before == SB::kUpper || before == SB::kLower) continue;
        }
      }
      // SB8: ATerm Close* Sp* x (not a letter, separator or terminator)* Lower.
      size_t q = p;
      while (q < n) {
        const SB c = cls(q);
        if (c == SB::kLower || c == SB::kUpper || c == SB::kOLetter || c == SB::kATerm || c == SB::kSTerm) break;
        q = next(q);
      }
      if (q < n && cls(q) == SB::kLower) continue;
    }
    out->push_back(p);  // SB11
    k = p - 1;
  }
  if (out->back() != n) out->push_back(n);
}

// The class of a character beyond ASCII, from ICU's data (the breaker's
// own); kRefused for those the direct path leaves to ICU: terminators
// beyond ASCII, separators, Format and Extend characters.
SB wide_class(UChar32 cp) {
  switch (u_getIntPropertyValue(cp, UCHAR_SENTENCE_BREAK)) {
    case U_SB_OTHER: return SB::kOther;
    case U_SB_CLOSE: return SB::kClose;
    case U_SB_LOWER: return SB::kLower;
    case U_SB_UPPER: return SB::kUpper;
    case U_SB_NUMERIC: return SB::kNumeric;
    case U_SB_OLETTER: return SB::kOLetter;
    case U_SB_SP: return SB::kSp;
    case U_SB_SCONTINUE: return SB::kSContinue;
    default: return SB::kRefused;
  }
}

}  // namespace

bool direct_sentence_breaks(std::string_view text, std::vector<size_t>* out) {
  const int readable = direct_readable(text);
  if (readable == 0) return false;
  if (readable == 1) {
    uax29_breaks(
        text, [&](size_t i) { return sb_class(static_cast<unsigned char>(text[i])); }, [](size_t i) { return i + 1; },
        [](size_t i) { return i - 1; }, out);
    return true;
  }
  // Beyond ASCII: each character's class at the byte where it begins,
  // kCont on the bytes that continue it.
  thread_local std::vector<SB> cl;
  cl.assign(text.size(), SB::kCont);
  const auto* const d = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = d[i];
    if (c < 0x80) {
      cl[i++] = sb_class(c);
      continue;
    }
    const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || i + len > text.size()) return false;
    UChar32 cp = c & (0xFF >> (len + 1));
    for (size_t k = 1; k < len; ++k) {
      if ((d[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d[i + k] & 0x3F);
    }
    const SB sb = wide_class(cp);
    if (sb == SB::kRefused) return false;
    cl[i] = sb;
    i += len;
  }
  const SB* const at = cl.data();
  const size_t n = text.size();
  uax29_breaks(
      text, [at](size_t i) { return at[i]; },
      [at, n](size_t i) {
        do ++i;
        while (i < n && at[i] == SB::kCont);
        return i;
      },
      [at](size_t i) {
        do --i;
        while (i > 0 && at[i] == SB::kCont);
        return i;
      },
      out);
  return true;
}

std::vector<Span> split_sentences(std::string_view text, const std::set<std::string>& abbr) {
  std::vector<Span> out;
  if (text.empty()) return out;
  std::vector<size_t> breaks;
  if (!direct_sentence_breaks(text, &breaks)) breaks = icu_sentence_breaks(text);
  if (breaks.empty() || breaks.back() != text.size()) {
    breaks.clear();
    breaks.push_back(0);
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') breaks.push_back(i + 1);
    breaks.push_back(text.size());
  }
  size_t start = 0;
  for (size_t k = 1; k < breaks.size(); ++k) {
    size_t b = breaks[k];
    // A period with no space after it ends no sentence (".DJI.US", "3.5").
    if (b > 0 && b < text.size() && text[b - 1] == '.' && text[b] != ' ' && text[b] != '\n') continue;
    if (b < text.size() && ends_with_abbreviation(text, b, abbr)) {
      // Keep going unless the next word clearly opens a sentence after a
      // newline; abbreviations mid-line ("U.S. stocks") never end one.
      continue;
    }
    // Trim whitespace at both ends.
    size_t s = start, e = b;
    while (s < e && (text[s] == ' ' || text[s] == '\n')) ++s;
    while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\n')) --e;
    if (e > s) out.push_back({s, e});
    start = b;
  }
  return out;
}

// Sixteen bytes at a time where SSE2 is there: bytes beyond ASCII compare
// as negative, below '0'.
bool has_ascii_digit(std::string_view s) {
  size_t i = 0;
#ifdef __SSE2__
  const __m128i lo = _mm_set1_epi8('0' - 1), hi = _mm_set1_epi8('9' + 1);
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i in = _mm_and_si128(_mm_cmpgt_epi8(x, lo), _mm_cmplt_epi8(x, hi));
    if (_mm_movemask_epi8(in) != 0) return true;
  }
#endif
  for (; i < s.size(); ++i)
    if (s[i] >= '0' && s[i] <= '9') return true;
  return false;
}

}  // namespace claimcheck
