// @brief required_literals() and LiteralFilter (see literals.h).
#include "core/literals.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "core/names.h"

namespace claimcheck {
namespace {

// How a piece's matches begin, for leading_literals(): its width in bytes
// (max_w -1: unbounded), and, when `known`, strings one of which begins every
// non-empty match after lo..hi bytes. `full`: every match is exactly one of
// the strings (so neighbours can extend them). `wb`: a \b lies right before
// the string. `is_wb`: the piece is \b itself.
struct Shape {
  int min_w = 0, max_w = -1;
  bool known = false, full = false, wb = false, is_wb = false;
  std::vector<std::string> lead;
  int lo = 0, hi = 0;
};

// What a piece of pattern needs. Either `exact`: it matches exactly one of a
// few strings ("" = it may match nothing), or a chain of steps that every
// match holds in order. And how its matches begin (`shape`).
struct Info {
  bool exact = false;
  std::vector<std::string> strs;  // sorted, unique; when exact
  LiteralChain chain;             // when not exact
  Shape shape;
};

// The shape of one character that matches exactly the strings `lead` (empty:
// not listed) and `min_w..max_w` bytes of text.
Shape char_shape(std::vector<std::string> lead, int min_w, int max_w) {
  Shape s;
  s.min_w = min_w;
  s.max_w = max_w;
  if (!lead.empty()) {
    s.known = s.full = true;
    s.lead = std::move(lead);
  }
  return s;
}
// One ASCII character as written in a pattern (read without case: k and s
// also match the Kelvin sign and the long s). Spaces are " ", as the filter
// reads them; a lead may hold one but not begin with one (a run of spaces
// reads as one, so where in it the match began is unknown).
Shape letter_shape(char c) {
  const char l = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (l == ' ' || l == '\t' || l == '\n' || l == '\f' || l == '\r' || l == '\v') return char_shape({" "}, 1, 1);
  return char_shape({std::string(1, l)}, 1, l == 'k' || l == 's' ? 3 : 1);
}
Shape assertion_shape(bool is_wb) {
  Shape s;
  s.min_w = s.max_w = 0;
  s.is_wb = is_wb;
  return s;
}
Info with_shape(Info i, Shape s) {
  i.shape = std::move(s);
  return i;
}

// Lead strings beyond this many are not worth probing from, nor a spread of
// more than this many bytes between the string and where the match begins;
// neighbouring strings are joined while their product stays under kMaxJoin.
constexpr size_t kMaxLead = 1024;
constexpr size_t kMaxJoin = 64;
constexpr int kMaxLeadSpread = 3;

int add_w(int a, int b) { return a < 0 || b < 0 ? -1 : a + b; }

// A word character for RE2's \b (ASCII only).
bool ascii_word(unsigned char c) { return std::isalnum(c) || c == '_'; }

std::vector<std::string> cross(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& x : a)
    for (const auto& y : b) out.push_back(x + y);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void merge_lead(Shape* into, const std::vector<std::string>& lead, int lo, int hi, bool wb) {
  if (!into->known) {
    into->known = true;
    into->lo = lo;
    into->hi = hi;
    into->wb = wb;
  } else {
    into->lo = std::min(into->lo, lo);
    into->hi = std::max(into->hi, hi);
    into->wb = into->wb && wb;
  }
  into->lead.insert(into->lead.end(), lead.begin(), lead.end());
  std::sort(into->lead.begin(), into->lead.end());
  into->lead.erase(std::unique(into->lead.begin(), into->lead.end()), into->lead.end());
}

// A string worth finding: longer than one character, or one digit or sign.
bool good_lead(const std::string& s) {
  if (s.empty() || s[0] == ' ') return false;
  if (s.size() > 1) return true;
  const char c = s[0];
  return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '$' || c == '%' || c == '#' || c == '@' || c == '&';
}
bool good_lead(const std::vector<std::string>& strs) {
  return strs.size() <= kMaxLead && std::all_of(strs.begin(), strs.end(), [](const std::string& x) { return good_lead(x); });
}
bool good_lead(const Shape& s) { return s.known && good_lead(s.lead); }

// Pieces in sequence: the first piece with good strings gives them, shifted by
// the widths of the pieces before it (which must be bounded); full pieces
// after it lengthen the strings. A piece that can be empty lets the next one
// add its strings too.
template <class Part>
Shape concat_shape(const std::vector<Part>& parts) {
  Shape r;
  r.min_w = r.max_w = 0;
  for (const Part& part : parts) {
    const Shape& p = part.shape;
    r.min_w += p.min_w;
    r.max_w = add_w(r.max_w, p.max_w);
  }
  Shape lead;
  int acc_lo = 0, acc_hi = 0;
  bool pending_wb = false, ended = false, full = false;
  std::vector<std::string> joined;
  for (size_t i = 0; i < parts.size() && !ended; ++i) {
    const Shape& p = parts[i].shape;
    if (p.is_wb) { pending_wb = true; continue; }
    if (p.max_w == 0) continue;  // ^, $, \B: no bytes
    if (p.known) {
      const std::vector<std::string>* strs = &p.lead;
      const bool whole = p.full && p.min_w > 0;
      bool complete = whole;  // every piece joined is a whole string
      size_t j = i + 1;
      // Lengthen while the pieces are whole strings ("r" "o" "s" "e"), and
      // by the first string of a piece that begins with one ("a" [\s-]+).
      for (; whole && j < parts.size(); ++j) {
        const Shape& q = parts[j].shape;
        if (!q.known || q.min_w == 0 || q.lo != 0 || q.hi != 0 || strs->size() * q.lead.size() > kMaxJoin) break;
        if (strs != &joined) {
          joined = *strs;
          strs = &joined;
        }
        if (joined.size() == 1 && q.lead.size() == 1) joined[0] += q.lead[0];  // one letter after another
        else joined = cross(joined, q.lead);
        if (!q.full) {
          complete = false;
          ++j;
          break;
        }
      }
      if (good_lead(*strs)) {
        merge_lead(&lead, *strs, acc_lo + p.lo, acc_hi + p.hi, pending_wb || p.wb);
        if (p.min_w > 0) {
          ended = true;
          full = i == 0 && complete && j == parts.size();
        }
        continue;  // when it can be empty, the next piece may begin the match
      }
    }
    if (p.max_w < 0) return r;  // unbounded, and no strings: unknown
    acc_lo += p.min_w;
    acc_hi += p.max_w;
    pending_wb = false;
  }
  // Without a piece that cannot be empty, a non-empty match holds a string
  // only if every piece without strings is empty-width.
  if (!lead.known || (!ended && acc_hi > 0)) return r;
  r.known = true;
  r.lead = std::move(lead.lead);
  r.lo = lead.lo;
  r.hi = lead.hi;
  r.wb = lead.wb;
  r.full = full;
  return r;
}

template <class Branch>
Shape alternate_shape(const std::vector<Branch>& alternatives) {
  Shape r;
  r.min_w = -1;
  r.max_w = 0;
  bool first = true;
  for (const Branch& branch : alternatives) {
    const Shape& b = branch.shape;
    r.min_w = first ? b.min_w : std::min(r.min_w, b.min_w);
    r.max_w = (r.max_w < 0 || b.max_w < 0) ? -1 : std::max(r.max_w, b.max_w);
    first = false;
  }
  if (r.min_w < 0) r.min_w = 0;
  // The union of the branches' strings, sorted once (an alternation of the
  // movement lexicon has hundreds of branches).
  Shape lead;
  bool full = true;
  size_t total = 0;
  for (const Branch& branch : alternatives) total += branch.shape.lead.size();
  lead.lead.reserve(total);
  for (const Branch& branch : alternatives) {
    const Shape& b = branch.shape;
    if (b.max_w == 0) { full = false; continue; }  // only ever empty
    if (!b.known) return r;
    lead.lo = lead.known ? std::min(lead.lo, b.lo) : b.lo;
    lead.hi = lead.known ? std::max(lead.hi, b.hi) : b.hi;
    lead.wb = lead.known ? lead.wb && b.wb : b.wb;
    lead.known = true;
    lead.lead.insert(lead.lead.end(), b.lead.begin(), b.lead.end());
    full = full && b.full;
  }
  if (!lead.known) return r;
  std::sort(lead.lead.begin(), lead.lead.end());
  lead.lead.erase(std::unique(lead.lead.begin(), lead.lead.end()), lead.lead.end());
  r.known = true;
  r.lead = std::move(lead.lead);
  r.lo = lead.lo;
  r.hi = lead.hi;
  r.wb = lead.wb;
  r.full = full && r.min_w > 0;
  return r;
}

Shape repeat_shape(const Shape& a, int lo, int hi) {
  Shape r = a;
  r.is_wb = false;
  r.min_w = lo * a.min_w;
  if (a.max_w == 0) r.max_w = 0;
  else if (hi < 0 || a.max_w < 0) r.max_w = -1;
  else r.max_w = hi * a.max_w;
  r.full = a.full && lo == 1 && hi == 1;
  return r;
}

// At most this many strings in one exact piece. Longer strings filter better,
// but the cross products grow the automaton: at 256 the claim rules made 6,039
// strings and 33,257 states (a 6.9 MB table, a cache miss per byte); at 32,
// 1,695 strings and 7,705 states in 16-bit entries (0.8 MB), for about the
// same number of candidates and less time (bench --mb 12: 3.1-3.4 CPU s vs
// 3.2-3.5 s at 256).
constexpr size_t kMaxExact = 32;

Info any() { return Info{}; }
// The filter reads text with every run of \s characters as one space, so a
// string holds single spaces only.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }
std::string fold_spaces(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    if (is_space(c)) {
      if (!out.empty() && out.back() == ' ') continue;
      c = ' ';
    }
    out.push_back(c);
  }
  return out;
}

Info exact(std::vector<std::string> s) {
  for (std::string& x : s) x = fold_spaces(x);
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  Info i;
  i.exact = true;
  i.strs = std::move(s);
  return i;
}
Info empty_width() { return exact({""}); }

// A step that occurs nearly everywhere costs more to track than it saves:
// single spaces, punctuation and letters. Digits, "%", "$" and the like stay,
// and "|", which prose seldom has (menus and tables do: boilerplate.tsv).
bool weak(const std::vector<std::string>& step) {
  for (const std::string& s : step) {
    if (s.empty()) return true;
    if (s.find_first_not_of(" \t\n\f\r") == std::string::npos) return true;
    if (s.size() == 1) {
      const char c = s[0];
      if (!((c >= '0' && c <= '9') || c == '%' || c == '$' || c == '&' || c == '+' || c == '#' || c == '@' || c == '|')) return true;
    }
  }
  return step.empty();
}

LiteralChain to_chain(const Info& i) {
  if (!i.exact) return i.chain;
  if (weak(i.strs)) return {};
  return {i.strs};
}

// The step of a chain least likely to occur by chance: its shortest string is
// the longest.
const std::vector<std::string>* best_step(const LiteralChain& c) {
  const std::vector<std::string>* best = nullptr;
  size_t best_len = 0;
  for (const auto& step : c) {
    size_t shortest = SIZE_MAX;
    for (const auto& s : step) shortest = std::min(shortest, s.size());
    if (!best || shortest > best_len || (shortest == best_len && step.size() < best->size())) {
      best = &step;
      best_len = shortest;
    }
  }
  return best;
}

Info concat(Info a, Info b) {
  if (a.exact && b.exact && a.strs.size() * b.strs.size() <= kMaxExact) {
    std::vector<std::string> out;
    for (const auto& x : a.strs)
      for (const auto& y : b.strs) out.push_back(x + y);
    return exact(std::move(out));
  }
  Info r;
  r.chain = to_chain(a);
  for (auto& step : to_chain(b)) r.chain.push_back(std::move(step));
  return r;
}

Info alternate(const std::vector<Info>& branches) {
  bool all_exact = true;
  size_t total = 0;
  for (const Info& b : branches) {
    all_exact = all_exact && b.exact;
    total += b.strs.size();
  }
  if (all_exact && total <= kMaxExact) {
    std::vector<std::string> out;
    for (const Info& b : branches) out.insert(out.end(), b.strs.begin(), b.strs.end());
    return exact(std::move(out));
  }
  // Whichever branch matched holds its best step: their union is required.
  std::vector<std::string> step;
  for (const Info& b : branches) {
    const LiteralChain c = to_chain(b);
    const auto* best = best_step(c);
    if (!best) return any();
    step.insert(step.end(), best->begin(), best->end());
  }
  std::sort(step.begin(), step.end());
  step.erase(std::unique(step.begin(), step.end()), step.end());
  Info r;
  r.chain.push_back(std::move(step));
  return r;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::vector<std::string> chars_of(const bool (&member)[128]) {
  std::vector<std::string> out;
  for (int c = 0; c < 128; ++c)
    if (member[c]) out.push_back(std::string(1, lower(static_cast<char>(c))));
  return out;
}

const std::vector<std::string>& digit_strs() {
  static const std::vector<std::string> d = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  return d;
}
const std::vector<std::string>& space_strs() {
  static const std::vector<std::string> s = {" "};
  return s;
}

// A character beyond ASCII that case-insensitive RE2 matches only as itself:
// punctuation, currency signs, CJK. (Letters such as "é" also match "É".)
bool caseless(std::string_view utf8) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(utf8[i]); };
  uint32_t cp = 0;
  if (utf8.size() == 2) cp = ((b(0) & 0x1Fu) << 6) | (b(1) & 0x3Fu);
  else if (utf8.size() == 3) cp = ((b(0) & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
  else return false;
  return (cp >= 0xA0 && cp <= 0xBF) || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20CF) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x4E00 && cp <= 0x9FFF);
}

class Parser {
 public:
  // `shapes`: also work out how matches begin (leading_literals); costs about
  // as much again.
  Parser(std::string_view p, bool shapes, bool memo = true) : p_(p), shapes_(shapes), memo_(memo) {}
  bool ok() const { return ok_; }

  Info parse() {
    Info i = alternation();
    if (pos_ != p_.size()) ok_ = false;
    return i;
  }

 private:
  std::string_view p_;
  size_t pos_ = 0;
  bool ok_ = true;
  bool shapes_ = true;
  bool memo_ = true;

  bool at_end() const { return pos_ >= p_.size(); }
  char peek() const { return at_end() ? '\0' : p_[pos_]; }

  Info alternation() {
    std::vector<Info> branches;
    branches.push_back(concatenation());
    while (ok_ && peek() == '|') {
      ++pos_;
      branches.push_back(concatenation());
    }
    if (branches.size() == 1) return std::move(branches[0]);
    if (!shapes_) return alternate(branches);
    Shape shape = alternate_shape(branches);
    return with_shape(alternate(branches), std::move(shape));
  }

  // Neighbouring exact pieces join into longer strings before anything is
  // turned into steps: "per", \s, "cent" is one step "per cent", not three
  // single letters too common to keep.
  Info concatenation() {
    std::vector<Info> parts;
    while (ok_ && !at_end() && peek() != '|' && peek() != ')') parts.push_back(repeat(atom()));
    if (!shapes_) return join(std::move(parts));
    Shape shape = concat_shape(parts);
    return with_shape(join(std::move(parts)), std::move(shape));
  }

  static Info join(std::vector<Info> parts) {
    Info chain;           // the steps so far (not exact)
    Info run = empty_width();  // the exact piece being extended
    bool has_chain = false;
    for (Info& part : parts) {
      if (part.exact && run.strs.size() == 1 && part.strs.size() == 1) {
        // The common case, one literal character after another: append
        // (strings hold single spaces, so a space meets a space only once).
        std::string& a = run.strs[0];
        const std::string& b = part.strs[0];
        a.append(b, !a.empty() && a.back() == ' ' && !b.empty() && b.front() == ' ' ? 1 : 0);
        continue;
      }
      if (part.exact && run.strs.size() * part.strs.size() <= kMaxExact) {
        run = concat(std::move(run), std::move(part));
        continue;
      }
      for (auto& step : to_chain(run)) chain.chain.push_back(std::move(step));
      has_chain = true;
      if (part.exact) {
        run = std::move(part);
      } else {
        for (auto& step : part.chain) chain.chain.push_back(std::move(step));
        run = empty_width();
      }
    }
    if (!has_chain) return run;
    for (auto& step : to_chain(run)) chain.chain.push_back(std::move(step));
    return chain;
  }

  // Reads {m}, {m,} or {m,n} at pos_; false (pos_ unchanged) when the brace
  // is a literal.
  bool braces(int* lo, int* hi) {
    size_t i = pos_ + 1;
    auto number = [&](int* out) {
      size_t b = i;
      long v = 0;
      while (i < p_.size() && p_[i] >= '0' && p_[i] <= '9' && v < 100000) v = v * 10 + (p_[i++] - '0');
      *out = static_cast<int>(v);
      return i > b;
    };
    if (!number(lo)) return false;
    *hi = *lo;
    if (i < p_.size() && p_[i] == ',') {
      ++i;
      if (!number(hi)) *hi = -1;
    }
    if (i >= p_.size() || p_[i] != '}') return false;
    pos_ = i + 1;
    return true;
  }

  Info repeat(Info a) {
    while (ok_ && !at_end()) {
      int lo = 0, hi = 0;
      const char c = peek();
      if (c == '?') { ++pos_; lo = 0; hi = 1; }
      else if (c == '*') { ++pos_; lo = 0; hi = -1; }
      else if (c == '+') { ++pos_; lo = 1; hi = -1; }
      else if (c == '{' && braces(&lo, &hi)) {}
      else break;
      if (peek() == '?') ++pos_;  // lazy: the same strings
      const Shape shape = repeat_shape(a.shape, lo, hi);
      const bool spaces = a.exact && !a.strs.empty() &&
                          std::all_of(a.strs.begin(), a.strs.end(), [](const std::string& x) { return x.empty() || x == " "; }) &&
                          std::find(a.strs.begin(), a.strs.end(), " ") != a.strs.end();
      if (spaces) {
        // A run of spaces reads as one: \s+ is " ", \s* and \s? are "" or " ".
        a = with_shape(lo == 0 ? exact({"", " "}) : exact({" "}), shape);
        continue;
      }
      if (lo == 0) {
        // x? is x or nothing; x* and x{0,n} are runs of any length: no
        // requirement, and no longer one string that neighbours can extend.
        if (hi == 1 && a.exact && a.strs.size() < kMaxExact) {
          a.strs.push_back("");
          a = exact(std::move(a.strs));
        } else {
          a = any();
        }
      } else if (!(lo == 1 && hi == 1)) {
        Info r;
        r.chain = to_chain(a);  // one copy is there
        a = std::move(r);
      }
      a.shape = shape;
    }
    return a;
  }

  Info escape() {
    // pos_ is after the backslash.
    if (at_end()) { ok_ = false; return any(); }
    const char c = p_[pos_++];
    switch (c) {
      case 'd': return with_shape(exact(digit_strs()), char_shape(digit_strs(), 1, 1));
      case 'n': case 't': case 'r': case 'f': return with_shape(exact({" "}), char_shape({" "}, 1, 1));
      case 's': return with_shape(exact(space_strs()), char_shape({" "}, 1, 1));
      case 'b': case 'B': case 'A': case 'z': return with_shape(empty_width(), assertion_shape(c == 'b'));
      // \w may also take the Kelvin sign and the long s (3 and 2 bytes).
      case 'w': return with_shape(any(), char_shape({}, 1, 3));
      case 'W': case 'S': case 'D': case 'C': return with_shape(any(), char_shape({}, 1, 4));
      case 'v': return with_shape(exact({"\v"}), char_shape({}, 1, 1));
      case 'p': case 'P':
        if (peek() == '{') {
          size_t e = p_.find('}', pos_);
          if (e == std::string_view::npos) { ok_ = false; return any(); }
          pos_ = e + 1;
        } else {
          ++pos_;
        }
        return with_shape(any(), char_shape({}, 1, 4));
      case 'x': case 'Q': case 'E':
        ok_ = false;  // not used by the rules; read nothing rather than guess
        return any();
      default:
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
          ok_ = false;
          return any();
        }
        if (static_cast<unsigned char>(c) >= 0x80) { ok_ = false; return any(); }
        return with_shape(exact({std::string(1, lower(c))}), letter_shape(c));
    }
  }

  Info char_class() {
    // pos_ is after '['.
    bool negated = false;
    if (peek() == '^') { negated = true; ++pos_; }
    bool member[128] = {};
    bool wide = false;  // matches more than we list (\w, \S, ...)
    bool first = true;
    while (ok_) {
      if (at_end()) { ok_ = false; break; }
      char c = p_[pos_];
      if (c == ']' && !first) { ++pos_; break; }
      first = false;
      if (c == '[' && pos_ + 1 < p_.size() && p_[pos_ + 1] == ':') { ok_ = false; break; }  // [:alpha:]
      int lo;
      if (c == '\\') {
        ++pos_;
        if (at_end()) { ok_ = false; break; }
        const char e = p_[pos_++];
        if (e == 'd') { for (int d = '0'; d <= '9'; ++d) member[d] = true; continue; }
        if (e == 's') { for (char s : {' ', '\t', '\n', '\f', '\r'}) member[static_cast<int>(s)] = true; continue; }
        if (e == 'w' || e == 'W' || e == 'S' || e == 'D' || e == 'p' || e == 'P') { wide = true; if ((e == 'p' || e == 'P') && peek() == '{') { size_t x = p_.find('}', pos_); if (x == std::string_view::npos) { ok_ = false; break; } pos_ = x + 1; } else if (e == 'p' || e == 'P') ++pos_; continue; }
        if (e == 'n') lo = '\n';
        else if (e == 't') lo = '\t';
        else if (e == 'r') lo = '\r';
        else if (e == 'f') lo = '\f';
        else if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9') || static_cast<unsigned char>(e) >= 0x80) { ok_ = false; break; }
        else lo = static_cast<unsigned char>(e);
      } else if (static_cast<unsigned char>(c) >= 0x80) {
        // A character beyond ASCII (or a range from one): the class is not
        // listed, it requires nothing.
        const size_t n = (static_cast<unsigned char>(c) >= 0xF0) ? 4 : (static_cast<unsigned char>(c) >= 0xE0) ? 3 : 2;
        wide = true;
        pos_ += n;
        if (peek() == '-' && pos_ + 1 < p_.size() && p_[pos_ + 1] != ']') ++pos_;
        continue;
      } else {
        lo = static_cast<unsigned char>(c);
        ++pos_;
      }
      int hi = lo;
      if (peek() == '-' && pos_ + 1 < p_.size() && p_[pos_ + 1] != ']') {
        ++pos_;
        char h = p_[pos_];
        if (h == '\\') {
          ++pos_;
          if (at_end()) { ok_ = false; break; }
          h = p_[pos_];
          if ((h >= 'a' && h <= 'z') || (h >= 'A' && h <= 'Z') || (h >= '0' && h <= '9')) { ok_ = false; break; }
        }
        if (static_cast<unsigned char>(h) >= 0x80) { wide = true; hi = 127; }
        else hi = static_cast<unsigned char>(h);
        ++pos_;
      }
      for (int x = lo; x <= hi && x < 128; ++x) member[x] = true;
    }
    if (!ok_ || negated || wide) return with_shape(any(), char_shape({}, 1, 4));
    // Case folding: the class matches both cases of each letter.
    for (int x = 'A'; x <= 'Z'; ++x)
      if (member[x] || member[x - 'A' + 'a']) { member[x] = false; member[x - 'A' + 'a'] = true; }
    std::vector<std::string> strs = chars_of(member);
    std::vector<std::string> lead;
    for (int x = 0; x < 128; ++x) {
      if (!member[x]) continue;
      const bool space = x == ' ' || x == '\t' || x == '\n' || x == '\f' || x == '\r' || x == '\v';
      lead.push_back(space ? " " : std::string(1, static_cast<char>(x)));
    }
    std::sort(lead.begin(), lead.end());
    lead.erase(std::unique(lead.begin(), lead.end()), lead.end());
    const Shape shape = char_shape(lead.size() > 16 ? std::vector<std::string>{} : lead, 1, member[static_cast<unsigned char>('k')] || member[static_cast<unsigned char>('s')] ? 3 : 1);
    if (strs.empty() || strs.size() > 16) return with_shape(any(), shape);
    return with_shape(exact(std::move(strs)), shape);
  }

  // Where the group opened at `open` closes, by bracket counting (escapes and
  // classes skipped); npos when it does not. Only a memo key: a group is
  // memoized when parsing it ended exactly there.
  static size_t closing_paren(std::string_view p, size_t open) {
    int depth = 0;
    for (size_t j = open; j < p.size(); ++j) {
      const char c = p[j];
      if (c == '\\') {
        ++j;
      } else if (c == '[') {
        ++j;
        if (j < p.size() && p[j] == '^') ++j;
        if (j < p.size() && p[j] == ']') ++j;
        while (j < p.size() && p[j] != ']') j += p[j] == '\\' ? 2 : 1;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && --depth == 0) {
        return j;
      }
    }
    return std::string_view::npos;
  }

  // What a group gives depends on its text alone (and on `shapes_`), and the
  // rules repeat long groups: a fragment such as the subject names is
  // expanded into many patterns. Those are parsed once per thread.
  struct Memo {
    Info info;
    bool ok;
  };
  static constexpr size_t kMemoMin = 64;  // bytes of group text worth keeping
  std::unordered_map<std::string, Memo>& memo() const {
    thread_local std::unordered_map<std::string, Memo> m[2];
    auto& mm = m[shapes_ ? 1 : 0];
    if (mm.size() > 4096) mm.clear();
    return mm;
  }

  Info group() {
    // pos_ is after '('.
    const size_t open = pos_ - 1;
    const size_t close = ok_ && memo_ ? closing_paren(p_, open) : std::string_view::npos;
    if (close == std::string_view::npos || close - open < kMemoMin) return group_parsed();
    const std::string_view key = p_.substr(open, close - open + 1);
    auto& m = memo();
    if (auto it = m.find(std::string(key)); it != m.end()) {
      pos_ = close + 1;
      ok_ = it->second.ok;
      return it->second.info;
    }
    Info r = group_parsed();
    if (pos_ == close + 1) m.emplace(std::string(key), Memo{r, ok_});
    return r;
  }

  Info group_parsed() {
    if (peek() == '?') {
      ++pos_;
      if (peek() == 'P' || peek() == '<') {  // (?P<name>...) or (?<name>...)
        size_t e = p_.find('>', pos_);
        if (e == std::string_view::npos) { ok_ = false; return any(); }
        pos_ = e + 1;
      } else {
        // Flags: (?i:...), (?-i:...), or (?i) which changes the rest.
        while (!at_end() && (std::isalpha(static_cast<unsigned char>(peek())) || peek() == '-')) ++pos_;
        if (peek() == ')') { ++pos_; return with_shape(empty_width(), assertion_shape(false)); }
        if (peek() != ':') { ok_ = false; return any(); }
        ++pos_;
      }
    }
    Info inner = alternation();
    if (peek() != ')') { ok_ = false; return any(); }
    ++pos_;
    return inner;
  }

  Info atom() {
    const char c = p_[pos_];
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '(') { ++pos_; return group(); }
    if (c == '[') { ++pos_; return char_class(); }
    if (c == '\\') { ++pos_; return escape(); }
    if (c == '.') { ++pos_; return with_shape(any(), char_shape({}, 1, 4)); }
    if (c == '^' || c == '$') { ++pos_; return with_shape(empty_width(), assertion_shape(false)); }
    if (c == '*' || c == '+' || c == '?') { ok_ = false; ++pos_; return any(); }
    if (u >= 0x80) {
      // One whole UTF-8 character, so that a repeat after it applies to all of
      // it. A string only when no other character matches it without case.
      const size_t n = std::min(p_.size() - pos_, static_cast<size_t>(u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : 2));
      const std::string ch(p_.substr(pos_, n));
      pos_ += n;
      if (caseless(ch)) return with_shape(exact({ch}), char_shape({ch}, static_cast<int>(n), static_cast<int>(n)));
      return with_shape(any(), char_shape({}, 1, 4));
    }
    ++pos_;
    return with_shape(exact({std::string(1, lower(c))}), letter_shape(c));
  }
};

}  // namespace

namespace {

LiteralChain chain_of(const Info& i) {
  LiteralChain out;
  for (auto& step : to_chain(i))
    if (!weak(step)) out.push_back(std::move(step));
  return out;
}

std::optional<LeadLiterals> lead_of(const Shape& s) {
  // A pattern that can match nothing could match anywhere.
  if (!good_lead(s) || s.min_w == 0 || s.hi - s.lo > kMaxLeadSpread) return std::nullopt;
  LeadLiterals out;
  out.strs = s.lead;
  out.lo = static_cast<uint32_t>(s.lo);
  out.hi = static_cast<uint32_t>(s.hi);
  // The word-boundary test reads the byte before the string; it is only
  // kept when every string begins with a word character.
  out.wb = s.wb && std::all_of(out.strs.begin(), out.strs.end(),
                               [](const std::string& x) { return ascii_word(static_cast<unsigned char>(x[0])); });
  return out;
}

}  // namespace

LiteralChain required_literals(std::string_view pattern) {
  Parser p(pattern, false);
  Info i = p.parse();
  return p.ok() ? chain_of(i) : LiteralChain{};
}

std::optional<LeadLiterals> leading_literals(std::string_view pattern) {
  return analyze_literals(pattern).lead;
}

LiteralAnalysis analyze_literals(std::string_view pattern, bool memo) {
  Parser p(pattern, true, memo);
  Info i = p.parse();
  if (!p.ok()) return {};
  return {chain_of(i), lead_of(i.shape)};
}

void LiteralFilter::add(const LiteralChain& chain, const std::optional<LeadLiterals>& lead) {
  leads_.emplace_back();
  if (lead) {
    Lead& l = leads_.back();
    l.known = true;
    l.lo = lead->lo;
    l.hi = lead->hi;
    l.wb = lead->wb;
    for (const std::string& str : lead->strs) {
      auto [it, fresh] = index_.emplace(str, static_cast<uint32_t>(lits_.size()));
      if (fresh) lits_.push_back(str);
      l.lits.push_back(it->second);
    }
  }
  chains_.emplace_back();
  for (const auto& step : chain) {
    std::vector<uint32_t> ids;
    for (const std::string& raw : step) {
      // Strings are kept with single spaces, as the automaton reads text.
      const std::string str = fold_spaces(raw);
      auto [it, fresh] = index_.emplace(str, static_cast<uint32_t>(lits_.size()));
      if (fresh) lits_.push_back(str);
      ids.push_back(it->second);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    // Rules share steps (every {NUM}, every {PCT}): each is tracked once.
    auto [st, fresh] = step_index_.emplace(ids, static_cast<uint32_t>(steps_.size()));
    if (fresh) steps_.push_back(std::move(ids));
    chains_.back().push_back(st->second);
  }
}

namespace {
// Lists of lists as one array: list i is list[begin[i], begin[i + 1]).
void flatten(const std::vector<std::vector<uint32_t>>& lists, std::vector<uint32_t>* begin,
             std::vector<uint32_t>* list) {
  begin->assign(1, 0);
  list->clear();
  for (const auto& v : lists) {
    list->insert(list->end(), v.begin(), v.end());
    begin->push_back(static_cast<uint32_t>(list->size()));
  }
}
}  // namespace

void LiteralFilter::build() {
  index_.clear();
  step_index_.clear();
  words_ = (lits_.size() + 63) / 64;
  step_bits_.assign(steps_.size() * words_, 0);
  std::vector<std::vector<uint32_t>> lit_steps(lits_.size());
  lead_bits_.assign(leads_.size() * words_, 0);
  for (size_t r = 0; r < leads_.size(); ++r)
    for (uint32_t l : leads_[r].lits) lead_bits_[r * words_ + l / 64] |= uint64_t{1} << (l % 64);
  for (size_t st = 0; st < steps_.size(); ++st)
    for (uint32_t l : steps_[st]) {
      step_bits_[st * words_ + l / 64] |= uint64_t{1} << (l % 64);
      lit_steps[l].push_back(static_cast<uint32_t>(st));
    }
  flatten(lit_steps, &lit_step_begin_, &lit_step_list_);
  flatten(chains_, &chain_begin_, &chain_list_);
  // Each rule is looked at only when one chosen step of its chain (its key)
  // occurs: the step whose shortest string is longest, a guess at the rarest
  // ("futures" before a digit). A rule with no step is always a hit.
  std::vector<std::vector<uint32_t>> keyed(steps_.size());
  always_.clear();
  for (size_t r = 0; r < chains_.size(); ++r) {
    if (chains_[r].empty()) {
      always_.push_back(static_cast<uint32_t>(r));
      continue;
    }
    uint32_t best = chains_[r][0];
    size_t best_len = 0, best_count = 0;
    for (uint32_t st : chains_[r]) {
      size_t shortest = SIZE_MAX;
      for (uint32_t l : steps_[st]) shortest = std::min<size_t>(shortest, lits_[l].size());
      if (shortest > best_len || (shortest == best_len && steps_[st].size() < best_count)) {
        best = st;
        best_len = shortest;
        best_count = steps_[st].size();
      }
    }
    keyed[best].push_back(static_cast<uint32_t>(r));
  }
  flatten(keyed, &keyed_begin_, &keyed_list_);
  std::fill(std::begin(cls_), std::end(cls_), 0);
  ncls_ = 1;
  for (const std::string& k : lits_)
    for (unsigned char c : k)
      if (cls_[c] == 0) cls_[c] = static_cast<uint8_t>(ncls_++);
  for (int c = 'A'; c <= 'Z'; ++c) cls_[c] = cls_[c - 'A' + 'a'];
  for (char c : {'\t', '\n', '\f', '\r'}) cls_[static_cast<unsigned char>(c)] = cls_[static_cast<unsigned char>(' ')];

  std::vector<int32_t> delta(ncls_, -1);
  std::vector<std::vector<uint32_t>> out(1);
  for (size_t k = 0; k < lits_.size(); ++k) {
    int32_t s = 0;
    for (unsigned char c : lits_[k]) {
      const size_t at = static_cast<size_t>(s) * ncls_ + cls_[c];
      if (delta[at] < 0) {
        delta[at] = static_cast<int32_t>(out.size());
        out.emplace_back();
        delta.resize(delta.size() + ncls_, -1);
      }
      s = delta[static_cast<size_t>(s) * ncls_ + cls_[c]];
    }
    out[static_cast<size_t>(s)].push_back(static_cast<uint32_t>(k));
  }
  size_t longest = 1;
  lit_len_.clear();
  for (const std::string& l : lits_) {
    lit_len_.push_back(static_cast<uint32_t>(l.size()));
    longest = std::max(longest, l.size());
  }
  ring_size_ = 1;
  while (ring_size_ <= longest) ring_size_ <<= 1;
  // Failure links folded into a complete table; each state's output is its
  // own literals and those of its failure state.
  const size_t n = out.size();
  fold_failure_links(&delta, ncls_, [&](int32_t v, int32_t via_fail) {
    const auto& inherited = out[static_cast<size_t>(via_fail)];
    out[static_cast<size_t>(v)].insert(out[static_cast<size_t>(v)].end(), inherited.begin(), inherited.end());
  });
  // Compact: 16-bit states (the table stays in cache), the top bit marks a
  // state where literals end, their ids in one flat array.
  if (n >= kOutputBit) {
    next_.clear();  // too many strings for this table: match() declines
    return;
  }
  next_.assign(delta.size(), 0);
  for (size_t x = 0; x < delta.size(); ++x) {
    const auto t = static_cast<uint16_t>(delta[x]);
    next_[x] = static_cast<uint16_t>(t | (out[t].empty() ? 0 : kOutputBit));
  }
  out_begin_.assign(n + 1, 0);
  out_lits_.clear();
  for (size_t x = 0; x < n; ++x) {
    out_begin_[x] = static_cast<uint32_t>(out_lits_.size());
    out_lits_.insert(out_lits_.end(), out[x].begin(), out[x].end());
  }
  out_begin_[n] = static_cast<uint32_t>(out_lits_.size());
}

uint32_t LiteralFilter::reach(const std::vector<uint32_t>& chain, const std::vector<LiteralScan::Occ>& occ) const {
  if (chain.empty()) return UINT32_MAX;
  // From the last step to the first: the string that begins last among
  // those that end by `limit` (where the next step's string begins). Any
  // chain's string for a step begins no later than this one does, so the
  // first step's choice is the latest offset the chain can start from.
  uint32_t limit = UINT32_MAX;
  size_t top = occ.size();  // occ[0, top) may end by limit
  for (size_t k = chain.size(); k-- > 0;) {
    const uint64_t* bits = &step_bits_[chain[k] * words_];
    // Strings are listed by where they end.
    while (top > 0 && occ[top - 1].end > limit) --top;
    bool found = false;
    uint32_t best = 0;
    size_t best_at = 0;
    for (size_t i = top; i-- > 0;) {
      const LiteralScan::Occ& o = occ[i];
      // A string begins before it ends: none that ends by the best begin
      // found so far can begin later.
      if (found && o.end <= best) break;
      if (!((bits[o.lit / 64] >> (o.lit % 64)) & 1)) continue;
      if (!found || o.begin > best) {
        found = true;
        best = o.begin;
        best_at = i;
      }
    }
    if (!found) return 0;
    limit = best;
    top = best_at;
  }
  return limit + 1;
}

bool LiteralFilter::occurs_from(const LiteralScan& scan, int rule, size_t from) const {
  if (!scan.valid || rule < 0 || static_cast<size_t>(rule) >= chains_.size() ||
      static_cast<size_t>(rule) >= scan.reach.size())
    return true;
  return from < scan.reach[static_cast<size_t>(rule)];
}

bool LiteralFilter::starts(const LiteralScan& scan, std::string_view context, size_t offset, int rule,
                           std::vector<uint32_t>* out) const {
  out->clear();
  if (!scan.valid || rule < 0 || static_cast<size_t>(rule) >= leads_.size()) return false;
  const Lead& l = leads_[static_cast<size_t>(rule)];
  if (!l.known) return false;
  const uint64_t* bits = &lead_bits_[static_cast<size_t>(rule) * words_];
  for (const LiteralScan::Occ& o : scan.occ) {
    if (!((bits[o.lit / 64] >> (o.lit % 64)) & 1)) continue;
    const size_t at = offset + o.begin;  // where the string begins in context
    if (l.wb && at > 0 && ascii_word(static_cast<unsigned char>(context[at - 1]))) continue;
    for (uint32_t k = l.lo; k <= l.hi && k <= o.begin; ++k) out->push_back(o.begin - k);
  }
  // Mostly in order already (the strings are listed by where they end).
  if (!std::is_sorted(out->begin(), out->end())) std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
  return true;
}

template <size_t N>
bool LiteralFilter::scan(const LiteralFilter* const (&filters)[N], LiteralScan* const (&scans)[N], std::string_view text) {
  size_t ring_size = 1;
  for (size_t j = 0; j < N; ++j) {
    scans[j]->occ.clear();
    scans[j]->valid = false;
    ring_size = std::max(ring_size, filters[j]->ring_size_);
  }
  thread_local std::vector<uint32_t> ring;
  if (ring.size() < ring_size) ring.assign(ring_size, 0);
  // Runs of spaces read as one; the ring keeps where each of the last few
  // folded characters began, so a literal's begin is a byte offset of text.
  const uint32_t mask = static_cast<uint32_t>(ring_size - 1);
  uint32_t k = 0;
  bool after_space = false;
  // The tables in locals: the ring's stores could otherwise alias them for
  // the compiler, which would reload each one for every byte.
  const uint16_t* next[N];
  const uint8_t* cls[N];
  size_t ncls[N];
  for (size_t j = 0; j < N; ++j) {
    next[j] = filters[j]->next_.data();
    cls[j] = filters[j]->cls_;
    ncls[j] = filters[j]->ncls_;
  }
  uint32_t* const rg = ring.data();
  const char* const data = text.data();
  const size_t size = text.size();
  size_t s[N] = {};
  for (size_t i = 0; i < size; ++i) {
    const unsigned char c = static_cast<unsigned char>(data[i]);
    if (c >= 0x80) {
      // RE2 folds two characters beyond ASCII to ASCII letters: the Kelvin
      // sign to k and the long s to s. Text with one goes to the exact filter.
      const std::string_view rest = text.substr(i);
      if (rest.substr(0, 3) == "\xE2\x84\xAA" || rest.substr(0, 2) == "\xC5\xBF") return false;
    }
    if (is_space(static_cast<char>(c))) {
      if (after_space) continue;
      after_space = true;
    } else {
      after_space = false;
    }
    rg[k & mask] = static_cast<uint32_t>(i);
    ++k;
#pragma GCC unroll 4
    for (size_t j = 0; j < N; ++j) {
      const uint16_t t = next[j][s[j] * ncls[j] + cls[j][c]];
      s[j] = t & ~kOutputBit;
      if (!(t & kOutputBit)) [[likely]] continue;
      const LiteralFilter& f = *filters[j];
      for (uint32_t x = f.out_begin_[s[j]]; x < f.out_begin_[s[j] + 1]; ++x) {
        const uint32_t l = f.out_lits_[x];
        scans[j]->occ.push_back({l, rg[(k - f.lit_len_[l]) & mask], static_cast<uint32_t>(i + 1)});
      }
    }
  }
  return true;
}

void LiteralFilter::finish(LiteralScan* scan, std::vector<int>* hits) const {
  hits->clear();
  // Marks and lists by raw pointer in locals: through the thread_local
  // vectors themselves the compiler reloads each one's address from thread
  // storage for every element. Lists are written whether or not the entry
  // is new and kept by advancing the count (one slot to spare): strings
  // repeat too irregularly for a branch.
  thread_local std::vector<uint8_t> present_v, sat_v;
  thread_local std::vector<uint32_t> present_list_v, sat_list_v;
  if (present_v.size() < lits_.size()) {
    present_v.assign(lits_.size(), 0);
    present_list_v.resize(lits_.size() + 1);
  }
  if (sat_v.size() < steps_.size()) {
    sat_v.assign(steps_.size(), 0);
    sat_list_v.resize(steps_.size() + 1);
  }
  uint8_t* const present = present_v.data();
  uint8_t* const sat = sat_v.data();
  uint32_t* const present_list = present_list_v.data();
  uint32_t* const sat_list = sat_list_v.data();
  size_t n_present = 0, n_sat = 0;
  scan->reach.assign(chains_.size(), 0);
  uint32_t* const reach_of = scan->reach.data();
  const auto& occ = scan->occ;
  for (const LiteralScan::Occ& o : occ) {
    present_list[n_present] = o.lit;
    n_present += present[o.lit] ^ 1u;
    present[o.lit] = 1;
  }
  // The steps some string of which occurs anywhere.
  const uint32_t* const lit_step_begin = lit_step_begin_.data();
  const uint32_t* const lit_step_list = lit_step_list_.data();
  for (size_t a = 0; a < n_present; ++a) {
    const uint32_t l = present_list[a];
    present[l] = 0;
    for (uint32_t x = lit_step_begin[l]; x < lit_step_begin[l + 1]; ++x) {
      const uint32_t st = lit_step_list[x];
      sat_list[n_sat] = st;
      n_sat += sat[st] ^ 1u;
      sat[st] = 1;
    }
  }
  // Rules with every step there, then in order (reach(): each step's string
  // begins after the previous one's ends). Only the rules keyed on a step
  // that occurs can have every step there.
  const uint32_t* const keyed_begin = keyed_begin_.data();
  const uint32_t* const keyed_list = keyed_list_.data();
  const uint32_t* const chain_begin = chain_begin_.data();
  const uint32_t* const chain_list = chain_list_.data();
  for (size_t a = 0; a < n_sat; ++a) {
    const uint32_t st = sat_list[a];
    for (uint32_t x = keyed_begin[st]; x < keyed_begin[st + 1]; ++x) {
      const uint32_t r = keyed_list[x];
      const uint32_t b = chain_begin[r], e = chain_begin[r + 1];
      bool all = true;
      for (uint32_t y = b; y < e; ++y)
        if (!sat[chain_list[y]]) {
          all = false;
          break;
        }
      if (!all) continue;
      reach_of[r] = reach(chains_[r], occ);
      if (reach_of[r] > 0) hits->push_back(static_cast<int>(r));
    }
  }
  for (uint32_t r : always_) {
    reach_of[r] = UINT32_MAX;
    hits->push_back(static_cast<int>(r));
  }
  std::sort(hits->begin(), hits->end());
  for (size_t a = 0; a < n_sat; ++a) sat[sat_list[a]] = 0;
  scan->valid = true;
}

bool LiteralFilter::match(std::string_view text, std::vector<int>* hits, LiteralScan* scan) const {
  hits->clear();
  thread_local LiteralScan own;
  LiteralScan* sc = scan ? scan : &own;
  sc->valid = false;
  if (next_.empty()) return false;
  const LiteralFilter* const filters[1] = {this};
  LiteralScan* const scans[1] = {sc};
  if (!LiteralFilter::scan(filters, scans, text)) return false;
  finish(sc, hits);
  return true;
}

void LiteralFilter::match_both(std::string_view text, const LiteralFilter& a, std::vector<int>* hits_a,
                               LiteralScan* scan_a, const LiteralFilter& b, std::vector<int>* hits_b,
                               LiteralScan* scan_b) {
  if (a.next_.empty() || b.next_.empty()) {
    a.match(text, hits_a, scan_a);
    b.match(text, hits_b, scan_b);
    return;
  }
  hits_a->clear();
  hits_b->clear();
  const LiteralFilter* const filters[2] = {&a, &b};
  LiteralScan* const scans[2] = {scan_a, scan_b};
  if (!scan(filters, scans, text)) return;
  a.finish(scan_a, hits_a);
  b.finish(scan_b, hits_b);
}

}  // namespace claimcheck
