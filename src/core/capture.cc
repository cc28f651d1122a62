// @brief RE2 patterns translated for PCRE2, and submatches of a known span.
// Tested by capture_test.cc.
#include "core/capture.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cctype>
#include <cstdint>
#include <cstring>

namespace claimcheck {

namespace {

// RE2's \s: PCRE2's \s also holds \v (vertical tab).
constexpr const char* kSpaceChars = "\\t\\n\\f\\r ";

}  // namespace

bool valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      // Eight ASCII bytes at a time.
      while (i + 8 <= n) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ull) break;
        i += 8;
      }
      while (i < n && p[i] < 0x80) ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if ((p[i] & 0xE0) == 0xC0) { len = 2; cp = p[i] & 0x1F; }
    else if ((p[i] & 0xF0) == 0xE0) { len = 3; cp = p[i] & 0x0F; }
    else if ((p[i] & 0xF8) == 0xF0) { len = 4; cp = p[i] & 0x07; }
    else return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Overlong forms, surrogates, beyond U+10FFFF.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

std::optional<std::string> to_pcre2(std::string_view p) {
  std::string out;
  out.reserve(p.size() + 16);
  bool in_class = false;
  size_t class_start = 0;  // index in p just past '[' or "[^"
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 >= p.size()) return std::nullopt;
      const char e = p[++i];
      switch (e) {
        case 's': out += in_class ? std::string(kSpaceChars) : "[" + std::string(kSpaceChars) + "]"; break;
        case 'S':
          if (in_class) return std::nullopt;  // [^...] of a complement: no exact spelling here
          out += "[^" + std::string(kSpaceChars) + "]";
          break;
        case 'v': out += "\\x0B"; break;  // RE2's \v is the character; PCRE2's is a class
        // Without case, RE2's \w also holds the long s and the Kelvin sign
        // (it folds classes); PCRE2's does not, but folds the s and k of a
        // class: [\wsk] is RE2's \w with and without case, [^\wsk] its \W.
        case 'w': out += in_class ? "\\wsk" : "[\\wsk]"; break;
        case 'W':
          if (in_class) return std::nullopt;  // a complement inside a class: no exact spelling
          out += "[^\\wsk]";
          break;
        case 'd': case 'D': case 'b': case 'B': case 'A': case 'z':
        case 'n': case 't': case 'r': case 'f': case 'a':
          out += '\\';
          out += e;
          break;
        // \p classes: RE2 folds them without case (\p{Lu} takes "a"), PCRE2
        // does not. No rule needs them.
        case 'p': case 'P': return std::nullopt;
        case 'x':
          out += "\\x";
          break;
        default:
          // Punctuation escaped for itself reads the same; any other letter or
          // digit (\C, \Q, octal...) is refused.
          if (std::isalnum(static_cast<unsigned char>(e)) || static_cast<unsigned char>(e) >= 0x80)
            return std::nullopt;
          out += '\\';
          out += e;
      }
      continue;
    }
    if (in_class) {
      // POSIX classes ([:alpha:]): RE2 folds them without case, PCRE2 not.
      if (c == '[' && i + 1 < p.size() && p[i + 1] == ':') return std::nullopt;
      if (c == ']' && i != class_start) in_class = false;
      out += c;
      continue;
    }
    switch (c) {
      case '[':
        in_class = true;
        out += c;
        if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
        class_start = i + 1;
        break;
      case '$': out += "\\z"; break;  // RE2 without (?m): the end of the text only
      case '(':
        out += c;
        if (i + 1 < p.size() && p[i + 1] == '?') {
          // Flags: i, s and U mean the same in both; m would change ^ and $.
          size_t j = i + 2;
          while (j < p.size() && (std::isalpha(static_cast<unsigned char>(p[j])) || p[j] == '-')) {
            if (p[j] == 'm') return std::nullopt;
            if (p[j] == 'P' || p[j] == 'i' || p[j] == 's' || p[j] == 'U' || p[j] == '-') { ++j; continue; }
            return std::nullopt;
          }
        }
        break;
      default: out += c;
    }
  }
  if (in_class) return std::nullopt;
  return out;
}

namespace {

// Per thread: the match data, the JIT stack, and the match context that
// carries the callout which holds a path to the span's end.
struct ThreadState {
  pcre2_match_data* data = nullptr;
  uint32_t pairs = 0;
  pcre2_jit_stack* stack = nullptr;
  pcre2_match_context* ctx = nullptr;
  size_t end = 0;
  ThreadState() {
    ctx = pcre2_match_context_create(nullptr);
    stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, nullptr);
    if (ctx && stack) pcre2_jit_stack_assign(ctx, nullptr, stack);
    // A span is a sentence's worth of text at most; a pattern that needs more
    // than this many steps on it is handed back to RE2, which is linear.
    if (ctx) pcre2_set_match_limit(ctx, 200000);
  }
  ~ThreadState() {
    if (data) pcre2_match_data_free(data);
    if (stack) pcre2_jit_stack_free(stack);
    if (ctx) pcre2_match_context_free(ctx);
  }
  ThreadState(const ThreadState&) = delete;
  ThreadState& operator=(const ThreadState&) = delete;
};

// The callout at the pattern's end: a path that ends before or after the
// span's end backtracks.
constexpr size_t kAnyEnd = static_cast<size_t>(-1);
int at_span_end(pcre2_callout_block* cb, void* state) {
  const size_t end = static_cast<ThreadState*>(state)->end;
  return end == kAnyEnd || cb->current_position == end ? 0 : 1;
}

// Compiles and JIT-compiles; null on any failure.
pcre2_code* compile_jit(const std::string& pattern, uint32_t opts) {
  pcre2_compile_context* cctx = pcre2_compile_context_create(nullptr);
  if (!cctx) return nullptr;
  pcre2_set_newline(cctx, PCRE2_NEWLINE_LF);  // RE2's '.' stops at \n only
  int err = 0;
  PCRE2_SIZE erroff = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), opts, &err, &erroff, cctx);
  pcre2_compile_context_free(cctx);
  if (code && pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) != 0) {
    pcre2_code_free(code);
    code = nullptr;
  }
  return code;
}

ThreadState& thread_state(int pairs) {
  thread_local ThreadState ts;
  if (ts.data && ts.pairs < static_cast<uint32_t>(pairs)) {
    pcre2_match_data_free(ts.data);
    ts.data = nullptr;
  }
  if (!ts.data) {
    ts.pairs = static_cast<uint32_t>(pairs > 16 ? pairs : 16);
    ts.data = pcre2_match_data_create(ts.pairs, nullptr);
  }
  return ts;
}

}  // namespace

std::unique_ptr<SpanCapture> SpanCapture::compile(std::string_view re2_pattern, bool case_sensitive) {
  std::optional<std::string> p = to_pcre2(re2_pattern);
  if (!p) return nullptr;
  uint32_t opts = PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C | PCRE2_DOLLAR_ENDONLY | PCRE2_NO_AUTO_POSSESS;
  if (!case_sensitive) opts |= PCRE2_CASELESS;
  std::unique_ptr<SpanCapture> sc(new SpanCapture());
  // Anchored when compiled: PCRE2_ANCHORED given at match time would make
  // pcre2_match() leave the JIT for its interpreter. Matched through
  // pcre2_jit_match(), which skips pcre2_match()'s checks (the text is valid
  // UTF-8; the code is JIT-compiled or compile() fails): a fifth of a try
  // that fails at once. No auto-possessive
  // quantifiers: they assume nothing after them can fail, and the callout can.
  sc->code_ = compile_jit("(?:" + *p + ")(?C1)", opts | PCRE2_ANCHORED);
  if (!sc->code_) return nullptr;
  uint32_t count = 0;
  pcre2_pattern_info(static_cast<const pcre2_code*>(sc->code_), PCRE2_INFO_CAPTURECOUNT, &count);
  sc->groups_ = static_cast<int>(count);
  return sc;
}

SpanCapture::~SpanCapture() {
  if (code_) pcre2_code_free(static_cast<pcre2_code*>(code_));
}

SpanCapture::Found SpanCapture::match_at(std::string_view text, size_t begin, re2::StringPiece* groups, int n) const {
  if (n <= 0 || n > groups_ + 1 || begin > text.size()) return Found::kGaveUp;
  ThreadState& ts = thread_state(groups_ + 1);
  if (!ts.ctx || !ts.stack || !ts.data) return Found::kGaveUp;
  ts.end = kAnyEnd;
  pcre2_set_callout(ts.ctx, at_span_end, &ts);
  const int rc = pcre2_jit_match(static_cast<const pcre2_code*>(code_), reinterpret_cast<PCRE2_SPTR>(text.data()),
                                 text.size(), begin, 0, ts.data, ts.ctx);
  if (rc == PCRE2_ERROR_NOMATCH) return Found::kNoMatch;
  if (rc <= 0) return Found::kGaveUp;
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(ts.data);
  for (int i = 0; i < n; ++i) {
    const PCRE2_SIZE b = ov[2 * i], e = ov[2 * i + 1];
    if (i >= rc || b == PCRE2_UNSET) groups[i] = re2::StringPiece();
    else groups[i] = re2::StringPiece(text.data() + b, e - b);
  }
  return Found::kMatch;
}

bool SpanCapture::capture(std::string_view text, size_t begin, size_t end, re2::StringPiece* groups, int n) const {
  if (n <= 0 || n > groups_ + 1 || begin > end || end > text.size()) return false;
  ThreadState& ts = thread_state(groups_ + 1);
  if (!ts.ctx || !ts.stack || !ts.data) return false;
  ts.end = end;
  pcre2_set_callout(ts.ctx, at_span_end, &ts);
  const int rc = pcre2_jit_match(static_cast<const pcre2_code*>(code_), reinterpret_cast<PCRE2_SPTR>(text.data()),
                                 text.size(), begin, 0, ts.data, ts.ctx);
  if (rc <= 0) return false;
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(ts.data);
  if (ov[0] != begin || ov[1] != end) return false;
  for (int i = 0; i < n; ++i) {
    const PCRE2_SIZE b = ov[2 * i], e = ov[2 * i + 1];
    if (i >= rc || b == PCRE2_UNSET) groups[i] = re2::StringPiece();
    else groups[i] = re2::StringPiece(text.data() + b, e - b);
  }
  return true;
}


}  // namespace claimcheck
