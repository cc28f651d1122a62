// @brief Loading and compiling rules/. Tested by ruleset_test.cc and rules_test.cc.
#include "core/ruleset.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <regex>

#include "core/table.h"
#include "core/text.h"

namespace fs = std::filesystem;

namespace claimcheck {

namespace {

RE2::Options rule_options(bool case_sensitive) {
  RE2::Options o;
  o.set_case_sensitive(case_sensitive);
  o.set_log_errors(false);
  o.set_max_mem(256 << 20);
  return o;
}

// Whether an RE2 pattern has ^, $, \A or \z outside a character class.
bool reads_text_ends(std::string_view p) {
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 < p.size() && !in_class && (p[i + 1] == 'A' || p[i + 1] == 'z')) return true;
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      if (i + 1 < p.size() && p[i + 1] == '^') ++i;
      if (i + 1 < p.size() && p[i + 1] == ']') ++i;  // a ']' first is a member
      continue;
    }
    if (c == '^' || c == '$') return true;
  }
  return false;
}

std::vector<std::string> files_in(const std::string& dir, const std::string& ext) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ext) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

void RuleSet::Filter::compile() const {
  RE2::Options o = rule_options(false);
  o.set_never_nl(never_nl);
  for (size_t i = 0; i < patterns.size() && !whole; ++i) {
    if (i % kGroup == 0) sets.push_back(std::make_unique<RE2::Set>(o, RE2::UNANCHORED));
    // Each pattern compiled alone at load; a loosened one could still fail.
    if (sets.back()->Add(patterns[i], nullptr) < 0) whole = true;
  }
  for (auto& s : sets)
    if (!whole && !s->Compile()) whole = true;
  if (whole) sets.clear();
}

bool RuleSet::Filter::match(std::string_view text, std::vector<int>* hits) const {
  hits->clear();
  std::call_once(compiled, [this] { compile(); });
  if (whole) {
    for (size_t i = 0; i < patterns.size(); ++i) hits->push_back(static_cast<int>(i));
    return !hits->empty();
  }
  std::vector<int> local;
  const re2::StringPiece sp(text.data(), text.size());
  for (size_t g = 0; g < sets.size(); ++g) {
    local.clear();
    if (!sets[g]->Match(sp, &local)) continue;
    for (int i : local) hits->push_back(static_cast<int>(g * kGroup) + i);
  }
  std::sort(hits->begin(), hits->end());
  return !hits->empty();
}

bool RuleSet::Filter::candidates(std::string_view text, std::vector<int>* hits, LiteralScan* scan) const {
  if (literal.match(text, hits, scan)) return !hits->empty();
  return match(text, hits);
}

void RuleSet::timex_and_claim_candidates(std::string_view text, std::vector<int>* timex_hits, LiteralScan* timex_scan,
                                         std::vector<int>* claim_hits, LiteralScan* claim_scan) const {
  LiteralFilter::match_both(text, timex_filter_.literal, timex_hits, timex_scan, claim_filter_.literal, claim_hits,
                            claim_scan);
  // A filter that cannot answer hands over to its sets, as candidates() does.
  if (!timex_scan->valid) timex_filter_.match(text, timex_hits);
  if (!claim_scan->valid) claim_filter_.match(text, claim_hits);
}

std::string loosen_repeats(const std::string& pattern) {
  std::string out;
  out.reserve(pattern.size());
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {  // an escape, e.g. \{ or \]
      out += c;
      out += pattern[++i];
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {  // a class; a ']' right after '[' or '[^' is a member
      in_class = true;
      out += c;
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];
      continue;
    }
    if (c == '{') {  // {m,n} -> {m,}
      size_t j = i + 1;
      while (j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9') ++j;
      const size_t comma = j;
      if (comma > i + 1 && comma < pattern.size() && pattern[comma] == ',') {
        size_t k = comma + 1;
        while (k < pattern.size() && pattern[k] >= '0' && pattern[k] <= '9') ++k;
        if (k > comma + 1 && k < pattern.size() && pattern[k] == '}') {
          out.append(pattern, i, comma + 1 - i);
          out += '}';
          i = k;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}

namespace {

// Regex source for one literal surface, piece by piece: one piece per
// character, and `[\s-]+` for each run of spaces and hyphens (a hyphen or
// space matches either).
std::vector<std::string> literal_pieces(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ' ' || c == '-') {
      while (i + 1 < s.size() && (s[i + 1] == ' ' || s[i + 1] == '-')) ++i;
      out.push_back("[\\s-]+");
    } else {
      out.push_back(RE2::QuoteMeta(std::string(1, c)));
    }
  }
  return out;
}

// The surfaces in one alternation, longest first: at any place, of the
// surfaces that match there the longest is tried first.
std::vector<std::string> longest_first(std::vector<std::string> items) {
  std::sort(items.begin(), items.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

bool same_ignoring_case(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string alternation(const std::vector<std::string>& surfaces) {
  const std::vector<std::string> items = longest_first(surfaces);
  std::string out = "(?:";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += '|';
    for (const std::string& piece : literal_pieces(items[i])) out += piece;
  }
  return out + ")";
}

// The same alternation with common prefixes factored out, "(?:f(?:ell|all(?:s)?))"
// for "fell|falls|fall", for PCRE2: a backtracking matcher tries the
// branches of an alternation one by one, and a rule that opens with 170
// verbs paid for 170 tries at every place it was tried. It means the same:
// the branches under a prefix exclude each other (they begin with different
// characters), and the longer surfaces under a prefix are tried before the
// prefix alone, as longest-first tries them. Where that does not hold (a
// character beyond ASCII or a control character, whose case variants could
// both match; a surface tried before a longer one that extends it, as
// "a - - b" before "a b c"), the plain alternation is returned.
std::string factored_alternation(const std::vector<std::string>& surfaces) {
  const std::vector<std::string> items = longest_first(surfaces);
  struct Node {
    std::vector<std::pair<std::string, size_t>> next;  // piece -> node, in first-seen order
    long item = -1;                                    // the surface (its rank) that ends here
  };
  std::vector<Node> nodes(1);
  for (size_t i = 0; i < items.size(); ++i) {
    for (unsigned char c : items[i])
      if (c >= 0x80 || (c < 0x20 && c != ' ')) return alternation(surfaces);
    size_t at = 0;
    for (std::string& piece : literal_pieces(items[i])) {
      // Case variants of one letter would both match (the rules ignore case).
      size_t found = 0;
      for (const auto& [p, n] : nodes[at].next) {
        if (p == piece) found = n;
        else if (same_ignoring_case(p, piece)) return alternation(surfaces);
      }
      if (!found) {
        found = nodes.size();
        nodes[at].next.emplace_back(std::move(piece), found);
        nodes.emplace_back();
      }
      at = found;
    }
    if (nodes[at].item < 0) nodes[at].item = static_cast<long>(i);
  }
  // Every surface must rank after all the surfaces that extend it: the
  // highest rank below each node, or -2 when that fails somewhere.
  std::function<long(size_t)> last_rank = [&](size_t n) -> long {
    long hi = -1;
    for (const auto& [p, c] : nodes[n].next) {
      const long below = last_rank(c);
      if (below == -2) return -2;
      hi = std::max(hi, below);
    }
    if (nodes[n].item >= 0 && hi >= nodes[n].item) return -2;
    return std::max(hi, nodes[n].item);
  };
  if (last_rank(0) == -2) return alternation(surfaces);
  std::function<std::string(size_t)> emit = [&](size_t n) -> std::string {
    const Node& node = nodes[n];
    if (node.next.empty()) return "";
    std::string out;
    for (const auto& [p, c] : node.next) out += (out.empty() ? "" : "|") + p + emit(c);
    if (node.next.size() == 1 && node.item < 0) return out;
    return "(?:" + out + ")" + (node.item >= 0 ? "?" : "");
  };
  return "(?:" + emit(0) + ")";
}

std::string RuleSet::lookup(std::string_view cls, std::string_view surface) const {
  const std::string* v = find(lexicon(cls), surface);
  return v ? *v : std::string();
}

const RuleSet::LexiconClass* RuleSet::lexicon(std::string_view cls) const {
  auto it = lexicon_index_.find(cls);
  return it == lexicon_index_.end() ? nullptr : it->second;
}

const std::string* RuleSet::find(const LexiconClass* cls, std::string_view surface) {
  if (!cls) return nullptr;
  thread_local std::string key;
  fold_key_into(surface, &key);
  auto v = cls->entries.find(key);
  return v == cls->entries.end() || v->second.empty() ? nullptr : &v->second;
}

std::string RuleSet::lookup_prefix(const std::string& prefix, const std::string& surface,
                                   std::string* cls) const {
  const std::string key = fold_key(surface);
  for (auto it = lexicon_.lower_bound(prefix); it != lexicon_.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    auto v = it->second.entries.find(key);
    if (v != it->second.entries.end()) {
      if (cls) *cls = it->first;
      return v->second;
    }
  }
  return "";
}

const Entity* RuleSet::entity(const std::string& id) const {
  auto it = entities_.find(id);
  return it == entities_.end() ? nullptr : &it->second;
}

std::vector<Mention> RuleSet::find_mentions(std::string_view text) const {
  std::vector<Mention> found;
  for (const NameMatcher::Hit& h : names_.find(text)) {
    const std::string& id = name_ids_[static_cast<size_t>(h.value)];
    found.push_back(Mention{h.begin, h.end, id == "-" ? nullptr : entity(id), h.confidence});
  }
  // Leftmost-longest across both sets: drop mentions overlapping a longer one.
  std::sort(found.begin(), found.end(), [](const Mention& a, const Mention& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<Mention> out;
  for (const Mention& m : found) {
    if (!out.empty() && m.begin < out.back().end) {
      if (m.end - m.begin > out.back().end - out.back().begin) out.back() = m;
      continue;
    }
    out.push_back(m);
  }
  return out;
}

bool RuleSet::next_repair_line(std::string_view text, size_t from, Span* line) const {
  if (!repair_any_ || from >= text.size()) return false;
  re2::StringPiece m;
  if (!repair_any_->Match(re2::StringPiece(text.data(), text.size()), from, text.size(), RE2::UNANCHORED, &m, 1))
    return false;
  const auto at = static_cast<size_t>(m.data() - text.data());
  const size_t nl = at == 0 ? std::string_view::npos : text.rfind('\n', at - 1);
  line->begin = nl == std::string_view::npos ? 0 : nl + 1;
  line->end = std::min(text.find('\n', at), text.size());
  return true;
}

namespace {
// Where `lower` (lower case) next occurs in text at or after `from`, ASCII
// letters in either case (Horspool's skips); text.size() when nowhere.
size_t find_folded(std::string_view text, size_t from, std::string_view lower) {
  const size_t m = lower.size();
  if (m == 0 || from > text.size() || text.size() - from < m) return text.size();
  auto fold = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c - 'A' + 'a') : c; };
  size_t skip[256];
  std::fill(std::begin(skip), std::end(skip), m);
  for (size_t i = 0; i + 1 < m; ++i) {
    const auto c = static_cast<unsigned char>(lower[i]);
    skip[c] = m - 1 - i;
    if (c >= 'a' && c <= 'z') skip[c - 'a' + 'A'] = m - 1 - i;
  }
  for (size_t at = from; at + m <= text.size();) {
    const auto last = static_cast<unsigned char>(text[at + m - 1]);
    if (fold(last) == static_cast<unsigned char>(lower[m - 1])) {
      size_t i = 0;
      while (i + 1 < m && fold(static_cast<unsigned char>(text[at + i])) == static_cast<unsigned char>(lower[i])) ++i;
      if (i + 1 == m) return at;
    }
    at += skip[last];
  }
  return text.size();
}
}  // namespace

bool anchored_at_start(std::string_view p) {
  if (p.empty() || p[0] != '^') return false;
  int depth = 0;
  bool in_class = false;
  for (size_t i = 1; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      ++i;  // the escaped character, whatever it is
    } else if (in_class) {
      if (c == ']') in_class = false;
    } else if (c == '[') {
      in_class = true;
      if (i + 1 < p.size() && p[i + 1] == '^') ++i;
      if (i + 1 < p.size() && p[i + 1] == ']') ++i;  // "[]...]" and "[^]...]": the ] is a member
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      return false;
    }
  }
  return true;
}

namespace {

// A string every match of a boilerplate pattern holds, worth looking for
// before running it: the longest common beginning of some step's strings
// (core/literals.h), up to its first space (a space stands for any run of
// them). Four characters or more, or one that prose rarely has; "" if none.
std::string boiler_piece(const std::string& pattern) {
  std::string piece;
  for (const auto& step : analyze_literals(pattern).chain) {
    if (step.empty()) continue;
    std::string_view common = step[0];
    for (const std::string& str : step) {
      size_t n = 0;
      while (n < common.size() && n < str.size() && common[n] == str[n]) ++n;
      common = common.substr(0, n);
    }
    for (size_t b = 0; b < common.size();) {
      size_t e = common.find(' ', b);
      if (e == std::string_view::npos) e = common.size();
      if (e - b > piece.size()) piece = std::string(common.substr(b, e - b));
      b = e + 1;
    }
  }
  const bool rare = piece.size() == 1 && std::string_view("|@#*~^_<>[]{}\\=").find(piece[0]) != std::string_view::npos;
  return piece.size() >= 4 || rare ? piece : std::string();
}

}  // namespace

std::vector<Span> RuleSet::boilerplate(std::string_view text) const {
  std::vector<Span> out;
  if (!boiler_set_ && boiler_unanchored_.empty() && boiler_pieced_.empty()) return out;
  thread_local std::vector<int> set_hits, hits;
  const auto nline = static_cast<int>(boiler_line_.size());
  auto pattern = [&](int i) -> const RE2& {
    return i < nline ? *boiler_line_[static_cast<size_t>(i)] : *boiler_tail_[static_cast<size_t>(i - nline)];
  };
  // Where the next match of each unanchored pattern that can search the
  // whole text begins (text.size(): none), found again once passed.
  const re2::StringPiece whole(text.data(), text.size());
  thread_local std::vector<size_t> next_at;
  next_at.assign(boiler_unanchored_.size(), 0);
  // RE2 folds the Kelvin sign to k and the long s to s: text with one is
  // searched with the patterns themselves.
  const bool plain = text.find("\xE2\x84\xAA") == std::string_view::npos && text.find("\xC5\xBF") == std::string_view::npos;
  auto find_from = [&](size_t u, size_t from) {
    const UnanchoredBoiler& ub = boiler_unanchored_[u];
    const std::string& piece = ub.piece;
    if (plain && !piece.empty()) {
      // A match holds the piece: the line where it next occurs is the
      // first that can match (found again from the next line if not).
      next_at[u] = find_folded(text, from, piece);
      return;
    }
    re2::StringPiece m;
    next_at[u] = from < text.size() && ub.nl->Match(whole, from, text.size(), RE2::UNANCHORED, &m, 1)
                     ? static_cast<size_t>(m.data() - text.data())
                     : text.size();
  };
  for (size_t u = 0; u < boiler_unanchored_.size(); ++u)
    if (boiler_unanchored_[u].nl) find_from(u, 0);
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    re2::StringPiece line(text.data() + start, end - start);
    // The anchored set says whether a loosened pattern matches (it stops at
    // the first), then which ones; only those are confirmed, by the exact
    // pattern. The unanchored patterns are exact already. A line that a line
    // pattern matches is masked; else, in the second half, one that a tail
    // pattern matches masks the rest of the text.
    hits.clear();
    if (!line.empty() || boiler_empty_) {
      set_hits.clear();
      if (boiler_set_ && boiler_set_->Match(line, nullptr) && boiler_set_->Match(line, &set_hits))
        for (int h : set_hits)
          if (RE2::PartialMatch(line, pattern(boiler_set_ids_[static_cast<size_t>(h)])))
            hits.push_back(boiler_set_ids_[static_cast<size_t>(h)]);
      for (const PiecedBoiler& pb : boiler_pieced_) {
        const std::string_view in(line.data(), line.size());
        const bool holds = pb.piece.size() == 1 ? in.find(pb.piece[0]) != std::string_view::npos
                                                : find_folded(in, 0, pb.piece) < in.size();
        if ((holds || !plain) && (!pb.loose || RE2::PartialMatch(line, *pb.loose)) && RE2::PartialMatch(line, pattern(pb.id)))
          hits.push_back(pb.id);
      }
      for (size_t u = 0; u < boiler_unanchored_.size(); ++u) {
        const UnanchoredBoiler& ub = boiler_unanchored_[u];
        if (ub.nl) {
          // A match within the line is a match of the whole text there.
          if (next_at[u] < start) find_from(u, start);
          if (next_at[u] > end) continue;
        }
        if (RE2::PartialMatch(line, pattern(ub.id))) hits.push_back(ub.id);
      }
    }
    if (!hits.empty()) {
      const bool masked = std::any_of(hits.begin(), hits.end(), [&](int i) { return i < nline; });
      if (masked) {
        out.push_back({start, end});
      } else if (start * 2 >= text.size()) {
        out.push_back({start, text.size()});
        return out;
      }
    }
    start = end + 1;
  }
  return out;
}

std::unique_ptr<RuleSet> RuleSet::load(const std::string& dir, std::vector<std::string>* errors) {
  auto rs = std::unique_ptr<RuleSet>(new RuleSet());
  rs->dir_ = dir;
  std::string err;
  auto fail = [&](const std::string& e) { errors->push_back(e); };
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    fail(dir + ": rules directory not found (pass --rules DIR)");
    return nullptr;
  }

  // Lexicon tables: every tables/*.tsv with columns surface, class, value.
  const std::set<std::string> special = {"entities.tsv", "aliases.tsv", "boilerplate.tsv", "abbreviations.tsv"};
  for (const auto& path : files_in(dir + "/tables", ".tsv")) {
    if (special.count(fs::path(path).filename().string())) continue;
    Table t;
    if (!t.load(path, {"surface", "class", "value"}, &err)) { fail(err); continue; }
    for (const auto& row : t.rows()) {
      const std::string& cls = row.cells[1];
      if (cls.empty() || !std::all_of(cls.begin(), cls.end(), [](char c) {
            return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
          })) {
        fail(path + ":" + std::to_string(row.line) + ": class '" + cls + "' must be UPPER_CASE");
        continue;
      }
      LexiconClass& lc = rs->lexicon_[cls];
      std::string key = fold_key(row.cells[0]);
      lc.first_words.insert(key.substr(0, key.find(' ')));
      lc.entries[std::move(key)] = row.cells[2] == "-" ? "" : row.cells[2];
    }
  }
  // Each lexicon class becomes a fragment; PCRE2 gets the same alternations
  // factored (factored_alternation), where they differ.
  std::map<std::string, std::string> pcre_fragments;
  for (const auto& [cls, lc] : rs->lexicon_) rs->lexicon_index_.emplace(std::string_view(cls), &lc);
  for (const auto& [cls, lc] : rs->lexicon_) {
    std::vector<std::string> surfaces;
    for (const auto& [k, v] : lc.entries) surfaces.push_back(k);
    rs->fragments_[cls] = alternation(surfaces);
    pcre_fragments[cls] = factored_alternation(surfaces);
  }

  // Gazetteer.
  {
    Table ents;
    if (!ents.load(dir + "/tables/entities.tsv", {"id", "kind", "name", "level_min", "level_max", "level_unit"}, &err)) {
      fail(err);
    } else {
      static const std::set<std::string> kinds = {"index", "etf", "stock", "rate", "commodity", "fx", "crypto", "macro"};
      for (const auto& row : ents.rows()) {
        Entity e;
        e.id = row.cells[0];
        e.kind = row.cells[1];
        e.name = row.cells[2];
        e.level_unit = row.cells[5] == "-" ? "none" : row.cells[5];
        if (!kinds.count(e.kind)) {
          fail(dir + "/tables/entities.tsv:" + std::to_string(row.line) + ": unknown kind '" + e.kind + "'");
          continue;
        }
        if (row.cells[3] != "-" && row.cells[4] != "-") {
          try {
            e.level_min = std::stod(row.cells[3]);
            e.level_max = std::stod(row.cells[4]);
            e.has_range = true;
          } catch (...) {
            fail(dir + "/tables/entities.tsv:" + std::to_string(row.line) + ": level_min/level_max must be numbers or -");
          }
        }
        if (rs->entities_.count(e.id))
          fail(dir + "/tables/entities.tsv:" + std::to_string(row.line) + ": duplicate id '" + e.id + "'");
        rs->entities_[e.id] = e;
      }
    }
    Table al;
    if (!al.load(dir + "/tables/aliases.tsv", {"alias", "id", "match", "confidence"}, &err)) {
      fail(err);
    } else {
      for (const auto& row : al.rows()) {
        const std::string where = dir + "/tables/aliases.tsv:" + std::to_string(row.line) + ": ";
        const std::string& id = row.cells[1];
        if (id != "-" && !rs->entities_.count(id)) { fail(where + "unknown entity id '" + id + "' (add it to entities.tsv)"); continue; }
        double conf = 1.0;
        try { conf = std::stod(row.cells[3]); } catch (...) { fail(where + "confidence must be a number"); continue; }
        if (row.cells[2] == "i" || row.cells[2] == "s") {
          rs->names_.add(row.cells[0], row.cells[2] == "s", static_cast<int>(rs->name_ids_.size()), conf);
          rs->name_ids_.push_back(id);
        } else {
          fail(where + "match must be i (any case) or s (exact case)");
        }
      }
      // {ENTITY}: every alias, for rules that name the subject in the pattern.
      {
        std::vector<std::string> named_i, named_s;
        for (const auto& row : al.rows()) {
          if (row.cells[1] == "-") continue;
          (row.cells[2] == "s" ? named_s : named_i).push_back(row.cells[0]);
        }
        std::string src = named_i.empty() ? "(?:)" : alternation(named_i);
        std::string pcre_src = named_i.empty() ? "(?:)" : factored_alternation(named_i);
        if (!named_s.empty()) {
          std::sort(named_s.begin(), named_s.end(), [](auto& a, auto& b) { return a.size() > b.size(); });
          std::string exact = "|(?-i:";
          for (size_t i = 0; i < named_s.size(); ++i) exact += (i ? "|" : "") + RE2::QuoteMeta(named_s[i]);
          exact += "))";
          src = "(?:" + src + exact;
          pcre_src = "(?:" + pcre_src + exact;
        }
        rs->fragments_["ENTITY"] = src;
        pcre_fragments["ENTITY"] = pcre_src;
      }
      // Every alias, stop aliases included, in one automaton.
      rs->names_.build();
    }
  }

  // Boilerplate and abbreviations.
  {
    Table t;
    if (t.load(dir + "/tables/boilerplate.tsv", {"pattern", "scope"}, &err)) {
      for (const auto& row : t.rows()) {
        auto re = std::make_unique<RE2>(row.cells[0], rule_options(false));
        const std::string where = dir + "/tables/boilerplate.tsv:" + std::to_string(row.line) + ": ";
        if (!re->ok()) { fail(where + "bad pattern: " + re->error()); continue; }
        if (row.cells[1] == "line") rs->boiler_line_.push_back(std::move(re));
        else if (row.cells[1] == "tail") rs->boiler_tail_.push_back(std::move(re));
        else fail(where + "scope must be line or tail");
      }
    } else {
      fail(err);
    }
    // One pass per line for the patterns of both scopes, with loosened
    // repeats (see loosen_repeats); a line the set accepts is confirmed by
    // the exact patterns, which is rare. Set index i is line pattern i, then
    // tail pattern i - boiler_line_.size() (boilerplate() relies on it): a
    // loosened pattern the set refuses goes in as written.
    auto set = std::make_unique<RE2::Set>(rule_options(false), RE2::ANCHOR_START);
    int id = 0;
    for (const auto* list : {&rs->boiler_line_, &rs->boiler_tail_})
      for (const auto& re : *list) {
        if (RE2::PartialMatch("", *re)) rs->boiler_empty_ = true;
        if (!anchored_at_start(re->pattern())) {
          UnanchoredBoiler ub;
          ub.id = id++;
          std::unique_ptr<RE2>& nl = ub.nl;
          if (!reads_text_ends(re->pattern())) {
            RE2::Options o = rule_options(false);
            o.set_never_nl(true);
            nl = std::make_unique<RE2>(re->pattern(), o);
            if (!nl->ok()) nl.reset();
          }
          if (nl) ub.piece = boiler_piece(re->pattern());
          rs->boiler_unanchored_.push_back(std::move(ub));
          continue;
        }
        if (std::string piece = boiler_piece(re->pattern()); !piece.empty()) {
          PiecedBoiler pb;
          pb.id = id++;
          pb.piece = std::move(piece);
          if (const std::string loose = loosen_repeats(re->pattern()); loose != re->pattern()) {
            pb.loose = std::make_unique<RE2>(loose, rule_options(false));
            if (!pb.loose->ok()) pb.loose.reset();
          }
          rs->boiler_pieced_.push_back(std::move(pb));
          continue;
        }
        if (set->Add(loosen_repeats(re->pattern()), nullptr) < 0) set->Add(re->pattern(), nullptr);
        rs->boiler_set_ids_.push_back(id++);
      }
    if (!rs->boiler_set_ids_.empty()) {
      if (set->Compile()) rs->boiler_set_ = std::move(set);
      else fail(dir + "/tables/boilerplate.tsv: the patterns are too large to compile together");
    }
    Table a;
    if (a.load(dir + "/tables/abbreviations.tsv", {"abbreviation"}, &err)) {
      for (const auto& row : a.rows()) rs->abbreviations_.insert(row.cells[0]);
    } else {
      fail(err);
    }
  }

  // Fragments.
  for (const auto& path : files_in(dir + "/fragments", ".frag")) {
    std::string text;
    if (!read_file(path, &text, &err)) { fail(err); continue; }
    auto lines = split(text, '\n');
    if (lines.empty() || trim(lines[0]) != "FORMAT: claimcheck-fragments/1") {
      fail(path + ":1: first line must be 'FORMAT: claimcheck-fragments/1'");
      continue;
    }
    for (size_t n = 1; n < lines.size(); ++n) {
      std::string line = trim(lines[n]);
      if (line.empty() || line[0] == '#') continue;
      size_t eq = line.find(" = ");
      std::string name = eq == std::string::npos ? "" : trim(line.substr(0, eq));
      if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
          })) {
        fail(path + ":" + std::to_string(n + 1) + ": expected 'NAME = regex' with an UPPER_CASE name");
        continue;
      }
      if (rs->fragments_.count(name) && !rs->lexicon_.count(name))
        fail(path + ":" + std::to_string(n + 1) + ": fragment '" + name + "' defined twice");
      rs->fragments_[name] = trim(line.substr(eq + 3));
      pcre_fragments.erase(name);  // a fragment file may redefine a lexicon class
    }
  }

  // Expand {NAME} references, recursively.
  // With `over`, its fragments stand in for those of the same name.
  std::function<bool(const std::string&, std::string*, std::string*, int, const std::map<std::string, std::string>*)>
      expand = [&](const std::string& src, std::string* out, std::string* bad, int depth,
                   const std::map<std::string, std::string>* over) -> bool {
    if (depth > 12) { *bad = "fragments nest too deeply (a cycle?)"; return false; }
    out->clear();
    for (size_t i = 0; i < src.size(); ++i) {
      if (src[i] == '\\' && i + 1 < src.size()) { out->push_back(src[i]); out->push_back(src[++i]); continue; }
      if (src[i] == '{' && i + 1 < src.size() && src[i + 1] >= 'A' && src[i + 1] <= 'Z') {
        size_t close = src.find('}', i);
        if (close == std::string::npos) { *bad = "unclosed '{'"; return false; }
        std::string name = src.substr(i + 1, close - i - 1);
        auto it = rs->fragments_.find(name);
        if (it == rs->fragments_.end()) { *bad = "unknown fragment {" + name + "}"; return false; }
        auto o = over ? over->find(name) : it;
        const std::string& frag = over && o != over->end() ? o->second : it->second;
        std::string sub;
        if (!expand(frag, &sub, bad, depth + 1, over)) return false;
        *out += "(?:" + sub + ")";
        i = close;
        continue;
      }
      out->push_back(src[i]);
    }
    return true;
  };

  // Rule files.
  static const std::set<std::string> kinds = {"claim", "suppress", "garble", "repair", "timex"};
  static const std::set<std::string> metrics = {"level", "change_pct", "change_abs", "record_level", "market_cap",
                                                "avg_change_pct", "ratio", "count", "other"};
  std::set<std::string> ids;
  std::vector<std::string> rule_files;
  for (const char* sub : {"/metrics", "/dates", "/garbles"})
    for (auto& f : files_in(dir + sub, ".rules")) rule_files.push_back(f);
  for (const auto& path : rule_files) {
    std::string text;
    if (!read_file(path, &text, &err)) { fail(err); continue; }
    auto lines = split(text, '\n');
    if (lines.empty() || trim(lines[0]) != "FORMAT: claimcheck-rules/1") {
      fail(path + ":1: first line must be 'FORMAT: claimcheck-rules/1'");
      continue;
    }
    Rule* cur = nullptr;
    const bool is_timex_file = path.find("/dates/") != std::string::npos;
    for (size_t n = 1; n < lines.size(); ++n) {
      const int ln = static_cast<int>(n + 1);
      const std::string where = path + ":" + std::to_string(ln) + ": ";
      std::string raw = lines[n];
      if (!raw.empty() && raw.back() == '\r') raw.pop_back();
      std::string line = trim(raw);
      if (line.empty() || line[0] == '#') continue;
      size_t sp = line.find_first_of(" \t");
      std::string key = line.substr(0, sp), val = sp == std::string::npos ? "" : trim(line.substr(sp));
      if (key == "rule") {
        if (val.empty() || val.find(' ') != std::string::npos) { fail(where + "'rule' needs one id, e.g. 'rule change.verb_pct'"); cur = nullptr; continue; }
        if (ids.count(val)) fail(where + "duplicate rule id '" + val + "'");
        ids.insert(val);
        rs->rules_.push_back(std::make_unique<Rule>());
        cur = rs->rules_.back().get();
        cur->id = val;
        cur->file = path;
        cur->line = ln;
        if (is_timex_file) cur->kind = "timex";
        continue;
      }
      if (!cur) { fail(where + "'" + key + "' outside a rule (start one with 'rule ID')"); continue; }
      if (val.empty()) { fail(where + "'" + key + "' needs a value"); continue; }
      if (key == "match") cur->pattern = val;
      else if (key == "kind") {
        if (!kinds.count(val)) fail(where + "unknown kind '" + val + "' (claim, suppress, garble, repair, timex)");
        cur->kind = val;
      } else if (key == "metric") {
        if (!metrics.count(val)) fail(where + "unknown metric '" + val + "'");
        cur->metric = val;
      } else if (key == "unit") cur->unit = val;
      else if (key == "basis") cur->basis = val;
      else if (key == "subject") cur->subject_template = val;
      else if (key == "kinds") for (const auto& k : split(val, ',')) cur->kinds.insert(trim(k));
      else if (key == "record") cur->record = val == "true";
      else if (key == "event") cur->event_is_as_of = val == "as_of";
      else if (key == "type") cur->type = val;
      else if (key == "context") cur->context = val == "true";
      else if (key == "replace") cur->replace = val;
      else if (key == "priority" || key == "confidence") {
        try {
          if (key == "priority") cur->priority = std::stoi(val);
          else cur->confidence = std::stod(val);
        } catch (...) { fail(where + key + " must be a number"); }
      } else if (key == "example" || key == "counter") {
        RuleExample ex;
        ex.file = path;
        ex.line = ln;
        ex.counter = key == "counter";
        size_t bar = val.find(" | ");
        if (bar == std::string::npos) { fail(where + key + " must read 'PUBLISHED | sentence" + (ex.counter ? "'" : " => field=value ...'")); continue; }
        ex.published = trim(val.substr(0, bar));
        std::string rest = val.substr(bar + 3);
        if (!ex.counter) {
          size_t arrow = rest.rfind(" => ");
          if (arrow == std::string::npos) { fail(where + "example needs ' => field=value ...' after the sentence"); continue; }
          // field=value pairs separated by spaces; a value may be "quoted".
          std::vector<std::string> toks;
          {
            std::string cur_tok;
            bool quoted = false;
            for (char ch : trim(rest.substr(arrow + 4))) {
              if (ch == '"') { quoted = !quoted; continue; }
              if (ch == ' ' && !quoted) { if (!cur_tok.empty()) toks.push_back(cur_tok); cur_tok.clear(); continue; }
              cur_tok.push_back(ch);
            }
            if (!cur_tok.empty()) toks.push_back(cur_tok);
          }
          for (const auto& tok : toks) {
            size_t eq = tok.find('=');
            if (eq == std::string::npos) { fail(where + "expected field=value, got '" + tok + "'"); continue; }
            ex.expect.emplace_back(tok.substr(0, eq), tok.substr(eq + 1));
          }
          rest = rest.substr(0, arrow);
        }
        ex.sentence = trim(rest);
        if (ex.published != "none" && !Date::parse(ex.published)) { fail(where + "published must be YYYY-MM-DD or none"); continue; }
        cur->examples.push_back(std::move(ex));
      } else {
        fail(where + "unknown key '" + key + "'");
      }
    }
  }

  // Compile.
  for (auto& r : rs->rules_) {
    const std::string where = r->file + ":" + std::to_string(r->line) + ": rule " + r->id + ": ";
    if (r->pattern.empty()) { fail(where + "has no 'match' pattern"); continue; }
    std::string bad;
    if (!expand(r->pattern, &r->expanded, &bad, 0, nullptr)) { fail(where + bad); continue; }
    // A repair rewrites within one line: its pattern never matches a line
    // break (a class or \s leaves it out) and cannot read the text's ends.
    RE2::Options ro = rule_options(false);
    if (r->kind == "repair") {
      ro.set_never_nl(true);
      if (reads_text_ends(r->expanded)) { fail(where + "a repair pattern works within a line: no ^, $, \\A or \\z"); continue; }
    }
    r->re = std::make_unique<RE2>(r->expanded, ro);
    if (!r->re->ok()) { fail(where + "pattern does not compile: " + r->re->error()); r->re.reset(); continue; }
    for (const auto& [name, index] : r->re->NamedCapturingGroups()) r->groups.emplace_back(name, index);
    std::string pcre_pattern;
    if (!expand(r->pattern, &pcre_pattern, &bad, 0, &pcre_fragments)) pcre_pattern = r->expanded;
    r->capture = SpanCapture::compile(pcre_pattern, false);
    if (r->capture && r->capture->groups() != r->re->NumberOfCapturingGroups()) r->capture.reset();
    if (r->kind == "claim" && r->metric.empty()) fail(where + "claim rule needs a 'metric'");
    if ((r->kind == "claim" || r->kind == "suppress") && r->group("num") < 0)
      fail(where + "pattern needs a (?P<num>...) group, e.g. {NUM}");
    if (r->kind == "timex" && r->type.empty()) fail(where + "timex rule needs a 'type'");
    if (r->kind == "repair" && r->replace.empty()) fail(where + "repair rule needs 'replace'");
    if (r->examples.empty() && r->kind != "suppress") fail(where + "has no 'example' (every rule proves itself)");
  }
  if (!errors->empty()) return nullptr;

  // `loosen`: the sets hold loosen_repeats() of each pattern. Not for the
  // repair rules: their counted repeats are small (\d{1,3}), and loosened
  // they accepted nearly every article ("1,234 million" for "4,1 million"),
  // each accepted rule then scanning the whole article.
  auto make_set = [&](std::vector<const Rule*>& list, Filter* f, bool loosen) {
    for (size_t i = 0; i < list.size(); ++i) {
      f->patterns.push_back(loosen ? loosen_repeats(list[i]->expanded) : list[i]->expanded);
      const LiteralAnalysis a = analyze_literals(list[i]->expanded);
      f->literal.add(a.chain, a.lead);
    }
    f->literal.build();
  };
  for (auto& r : rs->rules_) {
    if (r->kind == "timex") rs->timex_rules_.push_back(r.get());
    else if (r->kind == "repair") rs->repair_rules_.push_back(r.get());
    else rs->claim_rules_.push_back(r.get());
  }
  std::stable_sort(rs->claim_rules_.begin(), rs->claim_rules_.end(),
                   [](const Rule* a, const Rule* b) { return a->priority > b->priority; });
  make_set(rs->claim_rules_, &rs->claim_filter_, true);
  make_set(rs->timex_rules_, &rs->timex_filter_, true);
  rs->repair_filter_.never_nl = true;
  make_set(rs->repair_rules_, &rs->repair_filter_, false);
  if (!rs->repair_rules_.empty()) {
    std::string any;
    for (const Rule* r : rs->repair_rules_) any += (any.empty() ? "(?:" : "|(?:") + r->expanded + ")";
    RE2::Options o = rule_options(false);
    o.set_never_nl(true);
    rs->repair_any_ = std::make_unique<RE2>(any, o);
    if (!rs->repair_any_->ok()) fail(dir + ": the repair rules do not compile together: " + rs->repair_any_->error());
  }

  auto cue = rs->fragments_.find("BASIS");
  rs->basis_cue_ = std::make_unique<RE2>("\\b(" + (cue == rs->fragments_.end() ? std::string("close") : cue->second) + ")\\b",
                                         rule_options(false));

  // Calendar.
  auto cals = files_in(dir + "/calendar", ".tsv");
  if (cals.empty()) fail(dir + "/calendar: no holiday table (*.tsv) found");
  for (const auto& c : cals)
    if (!rs->calendar_.load(c, &err)) fail(err);
  if (!errors->empty()) return nullptr;
  return rs;
}

}  // namespace claimcheck
