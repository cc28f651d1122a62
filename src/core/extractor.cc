// @brief The extraction pipeline. Tested by extractor_test.cc, rules_test.cc and the gold tests.
#include "core/extractor.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "core/decimal.h"
#include "core/table.h"

namespace claimcheck {
namespace {

// One regex match with its capture groups, as spans of the analysis text
// (indexed by capture number; a group that did not take part is kAbsent).
struct Match {
  static constexpr Span kAbsent{SIZE_MAX, SIZE_MAX};
  const Rule* rule = nullptr;
  Span span;
  std::vector<Span> groups;
  int index(std::string_view g) const { return rule->group(g); }
  bool has(std::string_view g) const {
    int i = index(g);
    return i > 0 && static_cast<size_t>(i) < groups.size() && groups[static_cast<size_t>(i)].begin != SIZE_MAX;
  }
  Span at(std::string_view g) const { return has(g) ? groups[static_cast<size_t>(index(g))] : Span{}; }
};

// What the literal filter saw in a sentence (core/literals.h), for
// matches_of(): whether the rule's strings still occur past a match, and the
// only places where a match of the rule can begin.
struct Seen {
  const LiteralFilter* filter = nullptr;
  const LiteralScan* scan = nullptr;
  int rule = -1;
};

// Every non-overlapping match of `rule` in text[s.begin, s.end), with text
// before s.begin as the context that \b and ^ see.
//
// With `seen`: when the rule's strings do not occur past a match, the search
// after it (a scan to the end that fails) is skipped; when the filter knows
// where a match can begin (LiteralFilter::starts), the rule runs anchored at
// each such place in turn instead of scanning the sentence: the first that
// matches begins the leftmost match, the one an unanchored search finds.
//
// `valid_utf8` says that text is valid UTF-8 (a Document's text always is):
// then RE2 finds the span with its DFAs alone and PCRE2 reads the groups
// (core/capture.h); else RE2 does both.
void matches_of(const Rule& rule, const std::string& text, Span s, std::vector<Match>* out,
                const Seen* seen = nullptr, bool valid_utf8 = false) {
  const RE2& re = *rule.re;
  const int n = re.NumberOfCapturingGroups() + 1;
  thread_local std::vector<re2::StringPiece> m;  // reused: one call per rule and sentence
  m.assign(static_cast<size_t>(n), re2::StringPiece());
  re2::StringPiece input(text.data(), s.end);
  // The context PCRE2 sees must end on a character boundary (a sentence cut
  // at kMaxSentence may not).
  const bool fast = rule.capture && valid_utf8 &&
                    (s.end == text.size() || (static_cast<unsigned char>(text[s.end]) & 0xC0) != 0x80);
  thread_local std::vector<uint32_t> starts;
  const bool probe = seen && seen->filter->starts(*seen->scan, text, s.begin, seen->rule, &starts);
  size_t next_start = 0;
  // The groups of the match whose span m[0] holds.
  auto groups = [&] {
    const size_t b = static_cast<size_t>(m[0].data() - text.data());
    const size_t e = b + m[0].size();
    return rule.capture->capture(std::string_view(text.data(), s.end), b, e, m.data(), n) ||
           re.Match(input, b, e, RE2::ANCHOR_BOTH, m.data(), n);
  };
  auto find = [&](size_t from) {
    if (probe) {
      for (; next_start < starts.size(); ++next_start) {
        const size_t c = s.begin + starts[next_start];
        if (c < from) continue;
        // No match begins where the rule's strings do not all follow, nor
        // anywhere after.
        if (!seen->filter->occurs_from(*seen->scan, seen->rule, c - s.begin)) {
          next_start = starts.size();
          return false;
        }
        if (fast) {
          // PCRE2's JIT, anchored, gives the match and its groups at once;
          // it fails fast where the rule does not begin.
          const auto found = rule.capture->match_at(std::string_view(text.data(), s.end), c, m.data(), n);
          if (found == SpanCapture::Found::kNoMatch) continue;
          if (found == SpanCapture::Found::kMatch) {
            ++next_start;
            return true;
          }
        }
        if (!re.Match(input, c, s.end, RE2::ANCHOR_START, m.data(), fast ? 1 : n)) continue;
        ++next_start;
        return !fast || groups();
      }
      return false;
    }
    if (!fast) return re.Match(input, from, s.end, RE2::UNANCHORED, m.data(), n);
    return re.Match(input, from, s.end, RE2::UNANCHORED, m.data(), 1) && groups();
  };
  size_t pos = s.begin;
  while (pos <= s.end && find(pos)) {
    Match mt;
    mt.rule = &rule;
    mt.span.begin = static_cast<size_t>(m[0].data() - text.data());
    mt.span.end = mt.span.begin + m[0].size();
    mt.groups.assign(static_cast<size_t>(n), Match::kAbsent);
    for (int i = 1; i < n; ++i) {
      const auto& g = m[static_cast<size_t>(i)];
      if (g.data() == nullptr) continue;
      size_t b = static_cast<size_t>(g.data() - text.data());
      mt.groups[static_cast<size_t>(i)] = {b, b + g.size()};
    }
    out->push_back(std::move(mt));
    pos = mt.span.end > mt.span.begin ? mt.span.end : mt.span.begin + 1;
    if (seen && pos <= s.end && !seen->filter->occurs_from(*seen->scan, seen->rule, pos - s.begin)) break;
  }
}

// StageTimes' clock: lap(stage) adds the time since the last lap to that
// stage. Without a StageTimes it reads no clock.
class Lap {
 public:
  explicit Lap(StageTimes* times) : times_(times) {
    if (times_) at_ = std::chrono::steady_clock::now();
  }
  void operator()(StageTimes::Stage stage) {
    if (!times_) return;
    const auto now = std::chrono::steady_clock::now();
    times_->seconds[stage] += std::chrono::duration<double>(now - at_).count();
    at_ = now;
  }

 private:
  StageTimes* times_;
  std::chrono::steady_clock::time_point at_;
};

// A string against a literal, sizes first: std::string's own == calls
// strlen and memcmp every time, and a claim is compared with a few dozen.
bool eq(const std::string& s, std::string_view lit) { return std::string_view(s) == lit; }

bool overlaps(Span a, Span b) { return a.begin < b.end && b.begin < a.end; }
bool inside(Span inner, Span outer) { return inner.begin >= outer.begin && inner.end <= outer.end; }

struct Timex {
  Match m;
  std::string_view type;            // the rule's (compared with literals: sizes first, no copy)
  std::optional<Date> anchor;       // the date it names
  std::optional<Date> pstart, pend; // a fixed period
  char to_date = 0;                 // 'm' month, 'y' year, 'w' week, 'n' n trading days
  int ndays = 0;
  bool resolved = true;             // false: needed a publication date it did not have
};

struct Resolver {
  const RuleSet& rs;
  std::optional<Date> pub, def_asof;

  // A rule may spell one field twice in alternatives (month, month2).
  std::string group_text(const std::string& text, const Match& m, const std::string& g) const {
    Span s = m.has(g) ? m.at(g) : m.at(g + "2");
    return s.end > s.begin ? text.substr(s.begin, s.size()) : "";
  }
  static int digits(const std::string& s) {
    int v = 0, seen = 0;
    for (char c : s) {
      if (c >= '0' && c <= '9') { v = v * 10 + (c - '0'); if (++seen > 6) return -1; }
      else if (seen) break;
    }
    return seen ? v : -1;
  }
  int number(const std::string& s) const {
    int d = digits(s);
    if (d >= 0) return d;
    std::string v = rs.lookup("NUMBER_WORD", s);
    return v.empty() ? -1 : std::atoi(v.c_str());
  }
  int month(const std::string& s) const {
    if (s.empty()) return -1;
    int d = digits(s);
    if (d >= 1 && d <= 12) return d;
    std::string v = rs.lookup("MONTH", s);
    return v.empty() ? -1 : std::atoi(v.c_str());
  }

  // The most recent date <= ref with this month and day.
  std::optional<Date> recent_md(int m, int d, Date ref) const {
    for (int y = ref.year(); y >= ref.year() - 1; --y)
      if (Date::valid_ymd(y, m, d) && Date::from_ymd(y, m, d) <= ref) return Date::from_ymd(y, m, d);
    return std::nullopt;
  }

  void resolve(const std::string& text, Timex* t) const {
    const Match& m = t->m;
    t->type = m.rule->type;
    const auto& cal = rs.calendar();
    const int mo = month(group_text(text, m, "month"));
    const int dy = digits(group_text(text, m, "day"));
    const int yr = digits(group_text(text, m, "year"));
    const std::string rel = fold_key(group_text(text, m, "rel"));
    std::optional<Date> ref = def_asof;
    if (t->type == "anchor") {
      if (mo > 0 && dy > 0) {
        if (yr > 0) {
          if (Date::valid_ymd(yr, mo, dy)) t->anchor = Date::from_ymd(yr, mo, dy);
        } else if (pub) {
          t->anchor = recent_md(mo, dy, *pub);
        } else {
          t->resolved = false;
        }
      } else if (int dom = digits(group_text(text, m, "dom")); dom > 0) {
        if (!pub) { t->resolved = false; return; }
        Date p = *pub;
        for (int back = 0; back < 2 && !t->anchor; ++back) {
          int y = p.year(), mm = p.month() - back;
          if (mm < 1) { mm += 12; --y; }
          if (Date::valid_ymd(y, mm, dom) && Date::from_ymd(y, mm, dom) <= p) t->anchor = Date::from_ymd(y, mm, dom);
        }
      } else if (std::string wd = rs.lookup("WEEKDAY", group_text(text, m, "wd")); !wd.empty()) {
        if (!pub) { t->resolved = false; return; }
        const int want = std::atoi(wd.c_str());
        Date d = (rel == "last" || rel == "previous" || rel == "past") ? *pub - 1 : *pub;
        while (d.weekday() != want) d = d - 1;
        t->anchor = d;
      } else if (rel == "yesterday") {
        if (!pub) { t->resolved = false; return; }
        t->anchor = cal.last_close_before(*pub);
      } else if (rel == "today") {
        if (!pub) { t->resolved = false; return; }
        t->anchor = *pub;
      }
    } else if (t->type == "mtd") {
      t->to_date = 'm';
    } else if (t->type == "ytd") {
      t->to_date = 'y';
    } else if (t->type == "week_this") {
      t->to_date = 'w';
    } else if (t->type == "ndays") {
      t->ndays = number(group_text(text, m, "n"));
      if (t->ndays > 0) t->to_date = 'n';
    } else if (t->type == "month") {
      if (mo < 0) return;
      if (!ref && yr < 0) { t->resolved = false; return; }
      if (ref && (yr < 0 || yr == ref->year()) && mo == ref->month()) { t->to_date = 'm'; return; }
      int y = yr > 0 ? yr : (mo <= ref->month() ? ref->year() : ref->year() - 1);
      Date first = Date::from_ymd(y, mo, 1);
      Date last = Date::from_ymd(y, mo, days_in_month(y, mo));
      if (ref && last > *ref) { t->to_date = 'm'; return; }
      t->pstart = first;
      t->pend = cal.last_trading_on_or_before(last);
    } else if (t->type == "year") {
      if (yr < 0) return;
      if (ref && yr == ref->year()) { t->to_date = 'y'; return; }
      if (ref && yr > ref->year()) return;
      t->pstart = Date::from_ymd(yr, 1, 1);
      t->pend = cal.last_trading_on_or_before(Date::from_ymd(yr, 12, 31));
    } else if (t->type == "since_year") {
      if (yr > 0 && ref && yr == ref->year()) t->to_date = 'y';
    } else if (t->type == "week_last" || t->type == "week_the") {
      if (!pub || !ref) { t->resolved = false; return; }
      Date base = *pub;
      if (t->type == "week_the") {
        // "the week": the week that ended last, seen from the last close.
        Date next = cal.first_trading_on_or_after(*ref + 1);
        base = (next - next.weekday()) != (*ref - ref->weekday()) ? *ref + 7 : *ref;
      }
      Date monday = base - base.weekday() - 7;
      t->pstart = cal.first_trading_on_or_after(monday);
      t->pend = cal.last_trading_on_or_before(monday + 4);
    }
  }
};

struct Built {
  Claim c;
  Match m;
  Span num;
  Span subject;                  // mention used, if in the sentence
  std::vector<const Timex*> own; // time expressions that belong to it
  const Timex* period = nullptr;
  bool inherit_from_prev = false;
  bool uses_same = false;
};

// A short line with no full stop: a heading over the lines that follow it.
bool is_heading(std::string_view p) {
  while (!p.empty() && (p.back() == ' ' || p.back() == '\r' || p.back() == '\t')) p.remove_suffix(1);
  while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
  if (p.empty() || p.size() > 60) return false;
  const char last = p.back();
  return last != '.' && last != '!' && last != '?' && last != ',' && last != ';';
}

// The line breaks that close an empty line (only spaces): where blocks end.
// Line to line by memchr: most lines are not blank, and say so at once.
std::vector<size_t> blank_line_ends(const std::string& text) {
  std::vector<size_t> out;
  for (size_t prev = text.find('\n'); prev != std::string::npos;) {
    const size_t nl = text.find('\n', prev + 1);
    if (nl == std::string::npos) break;
    size_t i = prev + 1;
    while (i < nl && (text[i] == ' ' || text[i] == '\r' || text[i] == '\t')) ++i;
    if (i == nl) out.push_back(nl);
    prev = nl;
  }
  return out;
}


}  // namespace

std::vector<Claim> Extractor::extract(const Document& doc, const ArticleMeta& meta, Trace* tr, StageTimes* times) const {
  Lap lap(times);
  std::string text = doc.norm;
  join_wrapped_lines(&text);
  auto boiler = rules_.boilerplate(text);
  mask(&text, boiler);
  lap(StageTimes::kBoilerplate);
  if (tr) for (const Span& s : boiler) tr->add("boilerplate masked: bytes " + std::to_string(doc.orig(s.begin)) + ".." + std::to_string(doc.orig(s.end)));

  // A Document's text is valid UTF-8; checked here (and again after a
  // repair), it lets PCRE2 read the groups of each match (matches_of).
  bool utf8 = valid_utf8(text);

  // Same-length repairs of garbled numbers ("3. 1%" -> "3.1 %"), line by
  // line (no repair spans a line break): one search of the text finds the
  // lines where some repair rule matches, and only those are worked on.
  struct Repair { Span span; std::string literal; const Rule* rule; };
  std::vector<Repair> repairs;
  std::vector<int> repair_hits;
  Span line;
  for (size_t from = 0; rules_.next_repair_line(text, from, &line); from = line.end + 1) {
    const std::string_view lv(text.data() + line.begin, line.size());
    // In rule order; a rewrite can make a later rule match, so the hits are
    // taken again after one.
    rules_.match_repair_rules(lv, &repair_hits);
    for (size_t ri = 0; ri < rules_.repair_rules().size(); ++ri) {
      if (!std::binary_search(repair_hits.begin(), repair_hits.end(), static_cast<int>(ri))) continue;
      const Rule* r = rules_.repair_rules()[ri];
      const size_t repairs_before = repairs.size();
      std::vector<Match> ms;
      matches_of(*r, text, line, &ms, nullptr, utf8);
      for (const Match& m : ms) {
        const int n = r->re->NumberOfCapturingGroups() + 1;
        std::vector<re2::StringPiece> g(static_cast<size_t>(n));
        re2::StringPiece whole(text.data() + m.span.begin, m.span.size());
        if (!r->re->Match(whole, 0, whole.size(), RE2::ANCHOR_BOTH, g.data(), n)) continue;
        std::string rep;
        if (!r->re->Rewrite(&rep, r->replace, g.data(), n) || rep.size() > m.span.size()) continue;
        std::string literal = text.substr(m.span.begin, m.span.size());
        rep.resize(m.span.size(), ' ');
        text.replace(m.span.begin, m.span.size(), rep);
        repairs.push_back({m.span, literal, r});
        if (tr) tr->add("repair " + r->id + ": '" + literal + "' read as '" + rep + "'");
      }
      if (repairs.size() > repairs_before) rules_.match_repair_rules(lv, &repair_hits);
    }
  }
  if (!repairs.empty()) utf8 = utf8 && valid_utf8(text);
  lap(StageTimes::kRepairs);

  // Only paragraphs that can hold a claim are analysed (a digit, or a unit
  // word after a number word); the paragraph before each is scanned for names
  // too, so "the index" can refer back to it. The rest costs one memchr pass.
  std::vector<Mention> mentions;
  std::vector<Span> sentences;
  std::vector<Span> headings;  // short lines without a figure ("Scorecard for the week")
  {
    auto can_claim = [](std::string_view p) {
      return has_ascii_digit(p) || p.find("percent") != std::string_view::npos || p.find("point") != std::string_view::npos;
    };
    std::vector<Span> paras;
    for (size_t pos = 0; pos < text.size();) {
      size_t nl = text.find('\n', pos);
      size_t end = nl == std::string::npos ? text.size() : nl;
      if (end > pos) paras.push_back({pos, end});
      pos = end + 1;
    }
    // The headline and lede name the article's topic: always scan them.
    size_t scanned_to = 0;
    {
      size_t lede = 0;
      for (const Span& p : paras) { if (p.begin > 600) break; lede = p.end; }
      lap(StageTimes::kSentences);
      for (Mention mn : rules_.find_mentions(std::string_view(text.data(), lede))) mentions.push_back(mn);
      lap(StageTimes::kNames);
      scanned_to = lede;
    }
    for (size_t i = 0; i < paras.size(); ++i) {
      std::string_view pv(text.data() + paras[i].begin, paras[i].size());
      if (!can_claim(pv)) {
        if (is_heading(pv)) headings.push_back(paras[i]);
        continue;
      }
      size_t from = std::max(scanned_to, i > 0 ? paras[i - 1].begin : paras[i].begin);
      if (paras[i].end <= scanned_to) from = paras[i].end;
      if (from < paras[i].end) {
        lap(StageTimes::kSentences);
        for (Mention mn : rules_.find_mentions(std::string_view(text.data() + from, paras[i].end - from))) {
          mn.begin += from;
          mn.end += from;
          mentions.push_back(mn);
        }
        lap(StageTimes::kNames);
        scanned_to = paras[i].end;
      }
      for (Span sp : split_sentences(pv, rules_.abbreviations())) {
        // Bound the work per sentence: a "sentence" longer than any real one
        // (a list with no full stops, adversarial text) is cut at spaces into
        // pieces of at most kMaxSentence bytes, so extraction stays linear.
        constexpr size_t kMaxSentence = 1200;
        size_t b = sp.begin + paras[i].begin, e = sp.end + paras[i].begin;
        while (e - b > kMaxSentence) {
          size_t cut = text.rfind(' ', b + kMaxSentence);
          if (cut == std::string::npos || cut <= b) cut = b + kMaxSentence;
          sentences.push_back({b, cut});
          b = cut;
          while (b < e && text[b] == ' ') ++b;
        }
        if (e > b) sentences.push_back({b, e});
      }
    }
  }
  lap(StageTimes::kSentences);
  const auto& cal = rules_.calendar();

  Resolver res{rules_, std::nullopt, std::nullopt};
  if (!meta.published.empty()) res.pub = Date::parse(meta.published);
  if (res.pub) {
    res.def_asof = (meta.published_minute >= 16 * 60 && cal.is_trading_day(*res.pub))
                       ? *res.pub : cal.last_close_before(*res.pub);
    if (tr && !cal.covers(res.pub->year()))
      tr->add("calendar: no holiday data for " + std::to_string(res.pub->year()) + ", weekends only");
  }
  if (tr) tr->add("published: " + (meta.published.empty() ? std::string("unknown (relative dates stay unresolved)") : meta.published + " (" + meta.published_from + ")") +
                  (res.def_asof ? ", last close before it: " + res.def_asof->iso() : ""));

  // Pass 1: both literal filters over the sentences with a digit, and the
  // article's own "figures are as of ..." statement. A sentence's time
  // expressions are worked out only when it has claim candidates (pass 2
  // asks, below), except where a rule that dates the whole article may
  // match: the first such statement in the text counts, so those sentences
  // are read here, in order.
  std::vector<std::vector<Timex>> timexes(sentences.size());
  std::vector<uint8_t> timex_done(sentences.size(), 0);
  std::optional<Date> context_asof;
  std::vector<int> set_hits;
  LiteralScan scan;
  // Both filters' answers for each sentence, found in one pass (pass 2 reads
  // them); pooled across articles.
  thread_local std::vector<LiteralScan> claim_scans, timex_scans;
  thread_local std::vector<std::vector<int>> claim_hits, timex_hits;
  std::vector<uint8_t> claim_scanned(sentences.size(), 0);
  if (claim_scans.size() < sentences.size()) {
    claim_scans.resize(sentences.size());
    claim_hits.resize(sentences.size());
    timex_scans.resize(sentences.size());
    timex_hits.resize(sentences.size());
  }
  // The time expressions of sentence si, from its time rules' candidates.
  auto work_out_timexes = [&](size_t si, const std::vector<int>& hits, const LiteralScan* tscan) {
    timex_done[si] = 1;
    const Span s = sentences[si];
    std::vector<Match> ms;
    for (int i : hits) {
      const Seen seen{&rules_.timex_literals(), tscan, i};
      matches_of(*rules_.timex_rules()[static_cast<size_t>(i)], text, s, &ms, tscan ? &seen : nullptr, utf8);
    }
    std::sort(ms.begin(), ms.end(), [](const Match& a, const Match& b) {
      return a.span.begin != b.span.begin ? a.span.begin < b.span.begin : a.span.size() > b.span.size();
    });
    for (Match& m : ms) {
      if (!timexes[si].empty() && overlaps(timexes[si].back().m.span, m.span)) continue;
      Timex t;
      t.m = std::move(m);
      res.resolve(text, &t);
      if (t.m.rule->context && t.anchor && !context_asof) {
        context_asof = t.anchor;
        if (tr) tr->add("context: the article dates its figures as of " + t.anchor->iso());
      }
      timexes[si].push_back(std::move(t));
    }
  };
  for (size_t si = 0; si < sentences.size(); ++si) {
    Span s = sentences[si];
    std::string_view sv(text.data() + s.begin, s.size());
    if (!has_ascii_digit(sv)) continue;
    if (tr) {
      // explain shows every time expression: all are worked out, in order.
      set_hits.clear();
      if (rules_.match_timex_rules(sv, &set_hits)) work_out_timexes(si, set_hits, nullptr);
      continue;
    }
    lap(StageTimes::kBinding);
    rules_.timex_and_claim_candidates(sv, &timex_hits[si], &timex_scans[si], &claim_hits[si], &claim_scans[si]);
    claim_scanned[si] = 1;
    lap(StageTimes::kFilters);
    if (context_asof) continue;
    for (int i : timex_hits[si])
      if (rules_.timex_rules()[static_cast<size_t>(i)]->context) {
        work_out_timexes(si, timex_hits[si], &timex_scans[si]);
        lap(StageTimes::kTimes);
        break;
      }
  }
  lap(StageTimes::kBinding);

  // A heading that names a span ("Scorecard for the week", "Year to date:")
  // dates the moves listed under it, down to the next blank line.
  struct HeadingPeriod { Span heading; size_t block_end; Timex period; };
  std::vector<HeadingPeriod> heading_periods;
  for (Span h : headings) {
    std::string_view hv(text.data() + h.begin, h.size());
    set_hits.clear();
    if (!(tr ? rules_.match_timex_rules(hv, &set_hits) : rules_.timex_candidates(hv, &set_hits, &scan))) continue;
    std::vector<Match> ms;
    for (int i : set_hits) {
      const Seen seen{&rules_.timex_literals(), &scan, i};
      matches_of(*rules_.timex_rules()[static_cast<size_t>(i)], text, h, &ms, tr ? nullptr : &seen, utf8);
    }
    for (Match& m : ms) {
      Timex t;
      t.m = std::move(m);
      res.resolve(text, &t);
      if (!t.resolved || t.anchor || !(t.pstart || t.to_date) || t.type == "same_period" || t.type == "same_day" ||
          t.type == "reference")
        continue;
      if (tr) tr->add("heading: \"" + std::string(hv) + "\" dates the list under it (" + t.m.rule->id + ")");
      heading_periods.push_back({h, std::string::npos, std::move(t)});
      break;
    }
  }
  if (!heading_periods.empty()) {
    const std::vector<size_t> ends = blank_line_ends(text);
    for (HeadingPeriod& hp : heading_periods) {
      auto e = std::upper_bound(ends.begin(), ends.end(), hp.heading.end);
      if (e != ends.end()) hp.block_end = *e;
    }
  }
  lap(StageTimes::kTimes);
  // The last heading before the sentence, if its block reaches it.
  auto block_period_for = [&](Span s) -> const Timex* {
    auto after = std::upper_bound(heading_periods.begin(), heading_periods.end(), s.begin,
                                  [](size_t pos, const HeadingPeriod& hp) { return pos < hp.heading.end; });
    if (after == heading_periods.begin()) return nullptr;
    const HeadingPeriod& last = *(after - 1);
    return last.block_end == std::string::npos || last.block_end >= s.begin ? &last.period : nullptr;
  };

  const Claim* prev_claim = nullptr;  // for "the same period", "the same day"
  std::deque<Claim> built_all;  // stable addresses for prev_claim
  for (size_t si = 0; si < sentences.size(); ++si) {
    lap(StageTimes::kBinding);
    const Span s = sentences[si];
    std::string_view sv(text.data() + s.begin, s.size());
    if (!has_ascii_digit(sv) && sv.find("percent") == std::string_view::npos && sv.find("point") == std::string_view::npos) continue;
    set_hits.clear();
    // explain asks the exact prefilter, so that it can say "no rule matches";
    // extraction asks the cheaper one (the claims are the same), which pass 1
    // asked already for a sentence with a digit.
    LiteralScan& cscan = claim_scanned[si] ? claim_scans[si] : scan;
    bool any;
    if (tr) {
      any = rules_.match_claim_rules(sv, &set_hits);
    } else if (claim_scanned[si]) {
      set_hits = claim_hits[si];
      any = !set_hits.empty();
    } else {
      any = rules_.claim_candidates(sv, &set_hits, &scan);
    }
    lap(StageTimes::kFilters);
    if (!any) {
      if (tr && has_ascii_digit(sv)) tr->add("sentence: \"" + std::string(sv) + "\"\n  no rule matches");
      continue;
    }
    std::sort(set_hits.begin(), set_hits.end());
    std::vector<Match> cands, suppress, garbles;
    for (int i : set_hits) {
      const Rule* r = rules_.claim_rules()[static_cast<size_t>(i)];
      std::vector<Match> ms;
      const Seen seen{&rules_.claim_literals(), &cscan, i};
      matches_of(*r, text, s, &ms, tr ? nullptr : &seen, utf8);
      for (auto& m : ms) {
        if (eq(r->kind, "suppress")) suppress.push_back(std::move(m));
        else if (eq(r->kind, "garble")) garbles.push_back(std::move(m));
        else cands.push_back(std::move(m));
      }
    }
    lap(StageTimes::kTries);
    if (!tr && cands.empty()) continue;  // no claim: its time expressions do not matter
    if (!timex_done[si] && claim_scanned[si]) work_out_timexes(si, timex_hits[si], &timex_scans[si]);
    lap(StageTimes::kTimes);
    if (tr) tr->add("sentence: \"" + std::string(sv) + "\"");
    const auto& tx = timexes[si];
    const Timex* block_period = block_period_for(s);
    if (tr) for (const Timex& t : tx)
      tr->add("  time " + t.m.rule->id + ": '" + text.substr(t.m.span.begin, t.m.span.size()) + "'" +
              (t.anchor ? " -> " + t.anchor->iso() : "") +
              (t.pstart ? " period " + t.pstart->iso() + ".." + t.pend->iso() : "") +
              (t.to_date ? std::string(" period to date (") + t.to_date + ")" : "") +
              (t.resolved ? "" : " (unresolved: no publication date)"));

    // The mentions inside this sentence, and where the ones before it end.
    const auto by_begin = [](const Mention& mn, size_t pos) { return mn.begin < pos; };
    const size_t m_lo = static_cast<size_t>(std::lower_bound(mentions.begin(), mentions.end(), s.begin, by_begin) - mentions.begin());
    const size_t m_hi = static_cast<size_t>(std::lower_bound(mentions.begin(), mentions.end(), s.end, by_begin) - mentions.begin());

    // Numbers that rules must not bind.
    std::vector<std::pair<Span, std::string>> blocked;
    for (const Match& m : suppress) blocked.push_back({m.at("num"), "suppressed by " + m.rule->id});
    for (const Match& m : garbles) if (m.has("orphan")) blocked.push_back({m.at("orphan"), "orphan number of garble " + m.rule->id});
    auto blocked_reason = [&](Span num) -> std::string {
      for (const auto& [sp, why] : blocked) if (overlaps(sp, num)) return why;
      for (size_t k = m_lo; k < m_hi; ++k) {
        const Mention& mn = mentions[k];
        if (mn.begin < num.end && num.begin < mn.end) return "part of the name '" + text.substr(mn.begin, mn.end - mn.begin) + "'";
      }
      return "";
    };

    // One claim per number: the highest priority rule, then the longest match.
    std::stable_sort(cands.begin(), cands.end(), [](const Match& a, const Match& b) {
      if (a.rule->priority != b.rule->priority) return a.rule->priority > b.rule->priority;
      return a.span.size() > b.span.size();
    });
    std::vector<Built> built;
    built.reserve(cands.size());  // no move of a half-built claim as it grows
    for (const Match& m : cands) {
      Span num = m.at("num");
      std::string why = blocked_reason(num);
      bool dated = false;
      for (const Timex& t : tx)
        if (overlaps(t.m.span, num) && !overlaps(m.at("date"), t.m.span)) dated = true;
      if (why.empty() && dated) why = "part of a date";
      bool taken = false;
      for (const Built& b : built) if (overlaps(b.num, num)) taken = true;
      const std::string numtxt = text.substr(num.begin, num.size());
      if (!why.empty() || taken) {
        if (tr) tr->add("  " + m.rule->id + " matched '" + numtxt + "' but " + (taken ? "a higher rule bound it" : why));
        continue;
      }
      Built b;
      b.m = m;
      b.num = num;
      Claim& c = b.c;
      c.rule = m.rule->id;
      c.metric = m.rule->metric;
      c.text = numtxt;
      // Value.
      std::optional<Decimal> d = Decimal::parse(numtxt);
      if (!d) {
        std::string w = rules_.lookup("NUMBER_WORD", numtxt);
        if (w.empty()) w = rules_.lookup("NUMBER_PHRASE", numtxt);  // "half a percentage point"
        if (!w.empty()) d = Decimal::from_int(std::atoll(w.c_str()));
      }
      if (!d) { if (tr) tr->add("  " + m.rule->id + ": '" + numtxt + "' is not a number"); continue; }
      if (m.has("scale")) {
        std::string e = rules_.lookup("SCALE", std::string_view(text).substr(m.at("scale").begin, m.at("scale").size()));
        d->exp10 = std::atoi(e.c_str());
      }
      bool negative = false;
      for (const char* g : {"verb", "dir"}) {
        if (!m.has(g)) continue;
        const std::string_view w = std::string_view(text).substr(m.at(g).begin, m.at(g).size());
        for (const char* cls : {"VERB_DOWN", "NOUN_DOWN", "DIRECTION"}) {
          const std::string* v = RuleSet::find(rules_.lexicon(cls), w);
          if (v && *v == "-1") negative = true;
        }
      }
      if (m.has("neg")) negative = true;
      d->negative = negative;
      c.value = d->value();
      c.qualifier = "exact";
      if (m.has("qual")) {
        std::string q = rules_.lookup("QUALIFIER", std::string_view(text).substr(m.at("qual").begin, m.at("qual").size()));
        if (!q.empty()) c.qualifier = q;
      }
      interval(*d, c.qualifier, &c.lo, &c.hi);
      // Unit.
      std::string unit = m.rule->unit;
      if (m.has("unit")) {
        std::string u = rules_.lookup("UNIT", std::string_view(text).substr(m.at("unit").begin, m.at("unit").size()));
        if (!u.empty()) unit = u;
      }
      if (m.has("cur")) {
        const std::string_view w = std::string_view(text).substr(m.at("cur").begin, m.at("cur").size());
        std::string u = rules_.lookup("CURRENCY", w);
        if (u.empty()) u = rules_.lookup("CURRENCY_AFTER", w);  // "3.48 trillion yuan"
        if (!u.empty()) unit = u;
      }
      c.unit = unit;
      // Subject: named in the match, else nearest before the number in the
      // sentence, else after it, else the last one named before the sentence.
      const Mention* subj = nullptr;
      double subj_conf = 1.0;
      // A rule may name its subject outright ("subject FEDFUNDS").
      const std::string& tmpl = m.rule->subject_template;
      const bool literal_subject = !tmpl.empty() && tmpl.find('{') == std::string::npos;
      // A template that holds only {fin} ("OTHER:{fin}") is named by the match
      // itself: the figure's own words (tables/market.tsv) say what it is about.
      const bool self_named = !literal_subject && !tmpl.empty() && tmpl.find("{name}") == std::string::npos &&
                              tmpl.find("{id}") == std::string::npos;
      if (self_named && !m.has("fin")) {
        if (tr) tr->add("  " + m.rule->id + " matched '" + numtxt + "' but names no figure");
        continue;
      }
      static const Mention none_needed{};
      if (literal_subject || self_named) subj = &none_needed;
      if (!literal_subject && !self_named && m.has("subj")) {
        // The group marks the subject: a name must begin or end where it does.
        const Span g = m.at("subj");
        size_t at = g.begin;
        if (text.compare(at, 4, "the ") == 0 || text.compare(at, 4, "The ") == 0) at += 4;
        auto it = std::lower_bound(mentions.begin(), mentions.end(), g.begin,
                                   [](const Mention& mn, size_t pos) { return mn.begin < pos; });
        for (; it != mentions.end() && it->begin < g.end; ++it)
          if (it->entity && (it->begin == g.begin || it->begin == at || it->end == g.end)) subj = &*it;
        if (!subj) {
          if (tr) tr->add("  " + m.rule->id + " matched '" + numtxt + "' but '" + text.substr(g.begin, g.size()) + "' is not a known name");
          continue;
        }
      }
      if (!subj) {
        for (size_t k = m_lo; k < m_hi && mentions[k].begin < num.begin; ++k)
          if (mentions[k].entity) subj = &mentions[k];
        if (subj) subj_conf = 0.95;
      }
      // "Through Tuesday, the index is up 10.5%, leaving the S&P 500 behind":
      // a phrase that refers back, before the number, outranks a name after it.
      std::string kinds;
      if (!subj) {
        static const std::string kAnaphor = "ANAPHOR";
        const RuleSet::LexiconClass* anaphors = rules_.lexicon(kAnaphor);
        std::string_view before(text.data() + s.begin, num.begin - s.begin);
        const bool empty_key = anaphors && anaphors->may_begin("");
        thread_local std::string first;
        for (size_t i = 0; i < before.size() && kinds.empty(); ++i) {
          if (i > 0 && std::isalpha(static_cast<unsigned char>(before[i - 1]))) continue;
          // Every phrase tried below folds to "" or begins with this word
          // (the letters after at most two separators): most words begin no
          // anaphor, and the lookups are skipped.
          if (anaphors && !empty_key) {
            size_t j = i;
            for (int sep = 0; sep < 2 && j < before.size() && (before[j] == ' ' || before[j] == '-'); ++sep) ++j;
            first.clear();
            for (; j < before.size() && std::isalpha(static_cast<unsigned char>(before[j])); ++j) {
              const char ch = before[j];
              first.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
            }
            if (!anaphors->may_begin(first)) continue;
          }
          for (size_t len : {3u, 2u, 1u}) {
            size_t e = i;
            for (size_t w = 0; w < len && e < before.size(); ++w) {
              while (e < before.size() && std::isalpha(static_cast<unsigned char>(before[e]))) ++e;
              if (w + 1 < len) { if (e < before.size() && (before[e] == ' ' || before[e] == '-')) ++e; else break; }
            }
            if (e == i) break;
            if (const std::string* k = RuleSet::find(anaphors, before.substr(i, e - i))) { kinds = *k; break; }
          }
        }
      }
      if (!subj && kinds.empty()) {
        for (size_t k = m_lo; k < m_hi; ++k)
          if (mentions[k].begin >= num.end && mentions[k].entity) { subj = &mentions[k]; subj_conf = 0.8; break; }
      }
      if (!subj) {
        // A subject named before the sentence. "The index", "the stock" mean
        // the most-mentioned subject of that kind so far (the article's topic);
        // a pronoun or nothing means the one named last.
        if (!kinds.empty() && !eq(kinds, "recent")) {
          std::map<std::string, std::pair<int, size_t>> seen;  // id -> (count, last position)
          auto fits = [&](const Entity* e) { return e && ("," + kinds + ",").find("," + e->kind + ",") != std::string::npos; };
          // Bounded lookback: the last 400 names and 200 claims before the sentence.
          for (size_t k = m_lo > 400 ? m_lo - 400 : 0; k < m_lo; ++k) {
            const Mention& mn = mentions[k];
            if (!fits(mn.entity)) continue;
            auto& e = seen[mn.entity->id];
            ++e.first;
            if (e.first == 1) e.second = mn.begin;  // where it was first named
          }
          // A subject the article already made claims about is more salient.
          for (size_t k = built_all.size() > 200 ? built_all.size() - 200 : 0; k < built_all.size(); ++k)
            if (seen.count(built_all[k].subject)) ++seen[built_all[k].subject].first;
          const std::string* best = nullptr;
          for (const auto& [id, e] : seen)
            if (!best || e.first > seen[*best].first || (e.first == seen[*best].first && e.second < seen[*best].second)) best = &id;
          if (best)
            for (size_t k = m_lo; k-- > (m_lo > 400 ? m_lo - 400 : 0);)
              if (mentions[k].entity && mentions[k].entity->id == *best) { subj = &mentions[k]; break; }
        }
        if (!subj) {
          // The last one named whose plausible range holds the level: a record
          // close of 2,442.74 does not belong to the ETF quoted at $223.68 just before.
          const bool is_level = eq(c.metric, "level") || eq(c.metric, "record_level");
          auto plausible = [&](const Entity* e) {
            if (!is_level || !e->has_range || !(c.unit.empty() || eq(c.unit, "entity") || c.unit == e->level_unit)) return true;
            return c.value >= e->level_min && c.value <= e->level_max;
          };
          for (size_t k = m_lo; k-- > 0 && mentions[k].begin + 1500 >= s.begin;)
            if (mentions[k].entity && mentions[k].end <= s.begin && plausible(mentions[k].entity)) { subj = &mentions[k]; break; }
        }
        if (subj) { subj_conf = 0.6; b.subject = {}; }
      } else if (subj->begin >= s.begin) {
        b.subject = {subj->begin, subj->end};
      }
      if (!subj) { if (tr) tr->add("  " + m.rule->id + " matched '" + numtxt + "' but no subject is named near it"); continue; }
      if (!m.rule->kinds.empty() && subj->entity && !m.rule->kinds.count(subj->entity->kind)) {
        if (tr) tr->add("  " + m.rule->id + " matched '" + numtxt + "' but " + subj->entity->id + " is not a " + *m.rule->kinds.begin());
        continue;
      }
      static const Entity unknown{"", "macro", "", "none", 0, 0, false};
      const Entity* ent = literal_subject ? (rules_.entity(tmpl) ? rules_.entity(tmpl) : &unknown)
                          : self_named ? &unknown : subj->entity;
      c.subject = literal_subject ? tmpl : ent->id;
      if (!literal_subject && !m.rule->subject_template.empty()) {
        std::string t = m.rule->subject_template;
        for (auto p = t.find("{name}"); p != std::string::npos; p = t.find("{name}")) t.replace(p, 6, ent->name);
        for (auto p = t.find("{id}"); p != std::string::npos; p = t.find("{id}")) t.replace(p, 4, ent->id);
        // {fin}: the normalized name of the figure ("third-quarter revenue" -> revenue).
        if (auto p = t.find("{fin}"); p != std::string::npos && m.has("fin")) {
          std::string w = text.substr(m.at("fin").begin, m.at("fin").size());
          std::string v = rules_.lookup("FIN_NOUN", w);
          if (v.empty()) v = rules_.lookup("DERIVATIVE", w);
          if (v.empty()) v = rules_.lookup("MARKET_STAT", w);
          t.replace(p, 5, v.empty() ? w : v);
        }
        c.subject = t;
      }
      if (c.unit.empty() || eq(c.unit, "entity")) c.unit = ent->level_unit;
      if (eq(c.metric, "change_pct") || eq(c.metric, "avg_change_pct")) c.unit = "pct";
      if ((eq(c.metric, "level") || eq(c.metric, "record_level")) && eq(c.unit, "pct") && !eq(ent->level_unit, "pct")) {
        if (tr) tr->add("  " + m.rule->id + " matched '" + numtxt + "' but a level of " + ent->id + " is not a percentage");
        continue;
      }
      if ((eq(c.metric, "level") || eq(c.metric, "record_level")) && ent->has_range && c.unit == ent->level_unit &&
          (c.value < ent->level_min || c.value > ent->level_max)) {
        if (tr) tr->add("  " + m.rule->id + " matched '" + numtxt + "' but " + numtxt + " is not a plausible level of " + ent->id);
        continue;
      }
      c.record = m.rule->record;
      c.confidence = std::round(m.rule->confidence * subj_conf * (literal_subject || self_named ? 1.0 : subj->confidence) * 100) / 100;
      built.push_back(std::move(b));
    }
    std::sort(built.begin(), built.end(), [](const Built& a, const Built& b) { return a.num.begin < b.num.begin; });

    // Which time expressions belong to which claim.
    std::vector<int> owner(tx.size(), -1);
    auto is_date_group = [&](const Timex& t) {
      for (const Built& b : built) if (b.m.has("date") && overlaps(b.m.at("date"), t.m.span)) return true;
      return false;
    };
    auto num_between = [&](size_t a, size_t z, size_t self) {
      for (size_t k = 0; k < built.size(); ++k)
        if (k != self && built[k].num.begin >= a && built[k].num.end <= z) return true;
      return false;
    };
    // Inside a match: the claim whose number comes last before the expression.
    for (size_t t = 0; t < tx.size(); ++t) {
      if (is_date_group(tx[t])) continue;
      int best = -1;
      auto in_construct = [&](size_t k) {
        if (overlaps(tx[t].m.span, built[k].m.span)) return true;
        // "rose 1.7% last week to 5,969": the move's number sits inside the
        // level's match, before the expression.
        for (size_t j = 0; j < built.size(); ++j)
          if (j != k && overlaps(tx[t].m.span, built[j].m.span) && inside(built[k].num, built[j].m.span)) return true;
        return false;
      };
      for (size_t k = 0; k < built.size(); ++k) {
        if (!in_construct(k)) continue;
        if (best < 0) best = static_cast<int>(k);
        if (built[k].num.end <= tx[t].m.span.begin &&
            (built[static_cast<size_t>(best)].num.end > tx[t].m.span.begin || built[k].num.end > built[static_cast<size_t>(best)].num.end))
          best = static_cast<int>(k);
      }
      owner[t] = best;
    }
    for (size_t k = 0; k < built.size(); ++k) {
      bool has = false;
      for (size_t t = 0; t < tx.size(); ++t) if (owner[t] == static_cast<int>(k)) has = true;
      if (has) continue;
      size_t edge = built[k].m.span.end;
      for (size_t t = 0; t < tx.size(); ++t) {
        if (owner[t] >= 0 || is_date_group(tx[t]) || tx[t].m.span.begin < edge) continue;
        std::string gap = text.substr(edge, tx[t].m.span.begin - edge);
        bool chained = has;
        // A new clause ("and", "while", a comma) ends what the number owns.
        static const RE2 clause_break("(?i)[,;]|\\b(?:and|while|but|whereas|as|after|before|which|with|when)\\b");
        if (chained ? gap.size() > 3
                    : (gap.size() > 20 || RE2::PartialMatch(gap, clause_break) || num_between(edge, tx[t].m.span.begin, k)))
          break;
        owner[t] = static_cast<int>(k);
        has = true;
        edge = tx[t].m.span.end;
      }
    }
    for (size_t k = 0; k < built.size(); ++k) {
      bool has = false;
      for (size_t t = 0; t < tx.size(); ++t) if (owner[t] == static_cast<int>(k)) has = true;
      if (has) continue;
      for (size_t t = tx.size(); t-- > 0;) {
        if (tx[t].m.span.end > built[k].m.span.begin) continue;
        if (owner[t] >= 0 || is_date_group(tx[t])) continue;
        if (num_between(tx[t].m.span.end, built[k].m.span.begin, k)) break;
        if (tx[t].type == "time" || tx[t].type == "anchor") continue;  // anchors date the sentence, below
        owner[t] = static_cast<int>(k);
        break;
      }
    }

    // Resolve period, as_of and basis.
    // A day named elsewhere in the sentence dates a claim when it comes before
    // the number or close after it (not in a trailing clause about another day).
    auto sentence_anchor_for = [&](const Built& b) -> const Timex* {
      const Timex* best = nullptr;
      for (size_t t = 0; t < tx.size(); ++t) {
        if (!tx[t].anchor || is_date_group(tx[t])) continue;
        if (tx[t].m.span.begin > b.m.span.end + 40) continue;
        // "fell 1.4%, a comedown from Thursday's record close": a day named after
        // the claim in the possessive is another fact's day.
        if (tx[t].m.span.begin >= b.m.span.end && text.compare(tx[t].m.span.end, 2, "'s") == 0) continue;
        if (!best || owner[t] < 0) best = &tx[t];
      }
      return best;
    };
    bool sentence_unresolved = false;
    for (const Timex& t : tx) if (!t.resolved && !is_date_group(t)) sentence_unresolved = true;
    // Where each claim of the sentence went once stored (moved into
    // built_all), for the next claim that reads it; null while not stored.
    thread_local std::vector<const Claim*> stored;
    stored.assign(built.size(), nullptr);
    auto claim_of = [&](size_t j) -> const Claim& { return stored[j] ? *stored[j] : built[j].c; };
    for (size_t k = 0; k < built.size(); ++k) {
      Built& b = built[k];
      Claim& c = b.c;
      const Timex* period = nullptr;
      const Timex* anchor = nullptr;
      std::string tbasis;
      bool same_period = false, same_day = false, unresolved = false;
      for (size_t t = 0; t < tx.size(); ++t) {
        if (owner[t] != static_cast<int>(k)) continue;
        const Timex& x = tx[t];
        if (!x.resolved) unresolved = true;
        if (x.type == "same_period") same_period = true;
        else if (x.type == "same_day") same_day = true;
        else if (x.anchor) anchor = &x;
        else if (x.pstart || x.to_date) period = &x;
        if (!x.m.rule->basis.empty()) tbasis = x.m.rule->basis;
        c.time_rules.push_back(x.m.rule->id);
      }
      if (!period && !same_period && !same_day && !anchor && k > 0 && built[k - 1].period &&
          c.metric == claim_of(k - 1).metric)
        period = built[k - 1].period;
      if (!period && !same_period && !same_day && !anchor && block_period &&
          (eq(c.metric, "change_pct") || eq(c.metric, "change_abs"))) {
        period = block_period;
        c.time_rules.push_back(block_period->m.rule->id);
      }
      b.period = period;
      if (b.period && k > 0 && b.period == built[k - 1].period) c.time_rules.push_back(b.period->m.rule->id);
      bool owns_time = period || anchor || same_period || same_day;
      // "fell 14.7 basis points to 4.262%": the level is dated like the move it completes.
      const bool completes_prev = !owns_time && k > 0 && overlaps(built[k - 1].m.span, b.m.span);
      if (!anchor && !completes_prev) {
        if (const Timex* sa = sentence_anchor_for(b)) { anchor = sa; c.time_rules.push_back(sa->m.rule->id); }
      }

      const bool is_change = eq(c.metric, "change_pct") || eq(c.metric, "change_abs") || eq(c.metric, "count");
      const bool is_record = eq(c.metric, "record_level");
      const bool timeless = eq(c.metric, "avg_change_pct");
      std::optional<Date> as_of;
      std::string basis_of_asof;
      if (timeless) {
      } else if (completes_prev && !claim_of(k - 1).as_of.empty()) {
        as_of = Date::parse(claim_of(k - 1).as_of); basis_of_asof = claim_of(k - 1).as_of_basis;
        c.time_rules = claim_of(k - 1).time_rules;
      } else if (period && period->pend) {
        as_of = period->pend; basis_of_asof = "sentence";
      } else if (anchor && anchor->anchor) {
        as_of = anchor->anchor; basis_of_asof = "sentence";
      } else if ((same_period || same_day) && prev_claim && !prev_claim->as_of.empty()) {
        as_of = Date::parse(prev_claim->as_of); basis_of_asof = prev_claim->as_of_basis;
      } else if (is_record && !c.record) {
      } else if (context_asof) {
        as_of = context_asof; basis_of_asof = "context";
      } else if (res.def_asof) {
        as_of = res.def_asof; basis_of_asof = "publication";
      }
      if (as_of) { c.as_of = as_of->iso(); c.as_of_basis = basis_of_asof; }
      if (!as_of && !timeless && !is_record && (unresolved || sentence_unresolved || !res.pub)) c.flags.push_back("as_of_uncertain");
      if (is_change && !timeless) {
        if (same_period && prev_claim) {
          c.period_start = prev_claim->period_start; c.period_end = prev_claim->period_end;
        } else if (period && period->pstart) {
          c.period_start = period->pstart->iso(); c.period_end = period->pend->iso();
        } else if (period && period->to_date && as_of) {
          Date st = *as_of;
          if (period->to_date == 'm') st = Date::from_ymd(as_of->year(), as_of->month(), 1);
          else if (period->to_date == 'y') st = Date::from_ymd(as_of->year(), 1, 1);
          else if (period->to_date == 'w') st = cal.first_trading_on_or_after(*as_of - as_of->weekday());
          else if (period->to_date == 'n') st = cal.trading_days_back(*as_of, period->ndays);
          c.period_start = st.iso(); c.period_end = as_of->iso();
        } else if (!period && as_of) {
          c.period_start = c.period_end = as_of->iso();  // a move with no span named is the day's move
        }
      }
      // Event date of a record: the date the sentence gives, else the day itself.
      if (b.m.has("date")) {
        Span ds = b.m.at("date");
        for (const Timex& t : tx) if (t.anchor && overlaps(t.m.span, ds)) c.event_date = t.anchor->iso();
        if (c.event_date.empty()) {
          // The date group may hold a form only the date rules know; resolve it alone.
          for (const Rule* r : rules_.timex_rules()) {
            std::vector<Match> ms;
            matches_of(*r, text, ds, &ms);
            for (Match& m : ms) {
              Timex t; t.m = m; res.resolve(text, &t);
              if (t.anchor) { c.event_date = t.anchor->iso(); break; }
            }
            if (!c.event_date.empty()) break;
          }
        }
        if (c.event_date.empty() && res.pub) {
          // "set on the 7th": a day of the publication month (or the one before).
          std::string dt = text.substr(ds.begin, ds.size());
          int dom = Resolver::digits(dt);
          if (dt.rfind("the", 0) == 0 && dom > 0 && dom <= 31) {
            Date p = *res.pub;
            for (int back = 0; back < 2 && c.event_date.empty(); ++back) {
              int y = p.year(), mm = p.month() - back;
              if (mm < 1) { mm += 12; --y; }
              if (Date::valid_ymd(y, mm, dom) && Date::from_ymd(y, mm, dom) <= p) c.event_date = Date::from_ymd(y, mm, dom).iso();
            }
          }
        }
      } else if (b.m.rule->event_is_as_of && as_of) {
        c.event_date = as_of->iso();
      }
      // Basis: the rule, a word in the match, the time expression, then the default.
      std::string basis = b.m.rule->basis;
      if (basis.empty()) {
        // The match and the word just before it ("opened 10% higher").
        size_t cb = b.m.span.begin;
        for (int words = 0; cb > s.begin && words < 2; --cb)
          if (text[cb - 1] == ' ' && cb != b.m.span.begin) ++words;
        re2::StringPiece ms(text.data() + cb, b.m.span.end - cb), cue;
        size_t pos = 0;
        // The cue pattern is \b(...)\b: its group is the whole match, which
        // RE2's DFAs find without a submatch engine.
        auto next_cue = [&] {
          const re2::StringPiece rest = ms.substr(pos);
          return rules_.basis_cue().Match(rest, 0, rest.size(), RE2::UNANCHORED, &cue, 1);
        };
        while (next_cue()) {
          size_t at = static_cast<size_t>(cue.data() - ms.data());
          std::string after(ms.substr(at + cue.size(), 4));
          if (!eq(after, " to ")) basis = rules_.lookup("BASIS", std::string(cue));
          pos = at + cue.size();
        }
      }
      if (basis.empty()) basis = tbasis;
      if (basis.empty()) {
        const Entity* e = rules_.entity(c.subject);
        bool traded = e && (eq(e->kind, "index") || eq(e->kind, "etf") || eq(e->kind, "stock"));
        bool day_or_week = !c.period_start.empty() && !period;
        if (period && period->pstart && period->type.starts_with("week")) day_or_week = true;
        if (traded && (eq(c.metric, "level") || (is_change && !eq(c.metric, "count") && day_or_week))) basis = "close";
      }
      c.basis = basis.empty() ? "unspecified" : basis;

      // Evidence span: subject (when close by) through the number and its time words.
      size_t qb = b.m.span.begin, qe = b.m.span.end;
      if (b.subject.end > b.subject.begin && b.subject.begin < qb && qb - b.subject.begin <= 60) qb = b.subject.begin;
      for (size_t t = 0; t < tx.size(); ++t)
        if (owner[t] == static_cast<int>(k) && tx[t].m.span.begin >= qe && tx[t].m.span.begin - qe <= 24) qe = tx[t].m.span.end;
      while (qe > qb && (text[qe - 1] == ' ' || text[qe - 1] == ',')) --qe;
      c.article = meta.id;
      c.start = doc.orig(qb);
      c.end = doc.orig(qe);
      c.quote = doc.original.substr(static_cast<size_t>(c.start), static_cast<size_t>(c.end - c.start));
      for (const Repair& r : repairs)
        if (overlaps(r.span, b.num)) {
          c.flags.push_back("garbled_number");
          if (auto lit = Decimal::parse(trim(r.literal.substr(0, r.literal.find_first_not_of("0123456789.,")))); lit) c.alt_value = lit->value();
        }
      for (const Match& g : garbles) {
        if (!overlaps(g.span, b.m.span) || c.event_date.empty()) continue;
        // "close to 11 in 2021 ... set on January 8th": the orphan number is the
        // month the translation lost; the literal date stays, the reading is offered.
        int orphan = Resolver::digits(text.substr(g.at("orphan").begin, g.at("orphan").size()));
        int year = Resolver::digits(text.substr(g.at("year").begin, g.at("year").size()));
        int mo = res.month(text.substr(g.at("month").begin, g.at("month").size()));
        int dy = Resolver::digits(text.substr(g.at("day").begin, g.at("day").size()));
        if (year > 0 && mo > 0 && dy > 0 && Date::valid_ymd(year, mo, dy)) c.event_date = Date::from_ymd(year, mo, dy).iso();
        if (year > 0 && orphan > 0 && dy > 0 && Date::valid_ymd(year, orphan, dy)) c.alt_event_date = Date::from_ymd(year, orphan, dy).iso();
        c.flags.push_back("garbled_date");
        if (tr) tr->add("  garble " + g.rule->id + ": literal date " + c.event_date + ", likely " + c.alt_event_date);
      }
      if (tr) tr->add("  " + c.rule + " -> " + c.subject + " " + c.metric + " " + c.text + " (" + c.qualifier + ")" +
                      (c.as_of.empty() ? "" : " as_of " + c.as_of + " [" + c.as_of_basis + "]") +
                      (c.period_start.empty() ? "" : " period " + c.period_start + ".." + c.period_end) +
                      " basis " + c.basis + (c.event_date.empty() ? "" : " event " + c.event_date));
      built_all.push_back(std::move(c));
      prev_claim = stored[k] = &built_all.back();
    }
    if (tr) {
      // Numbers no rule took.
      static const RE2 number_re("(\\d[\\d,.]*\\d|\\d)");
      re2::StringPiece in(sv.data(), sv.size()), tok;
      while (RE2::FindAndConsume(&in, number_re, &tok)) {
        size_t b = static_cast<size_t>(tok.data() - text.data());
        Span sp{b, b + tok.size()};
        bool used = false;
        for (const Built& x : built) if (overlaps(x.num, sp)) used = true;
        for (const Timex& t : tx) if (overlaps(t.m.span, sp)) used = true;
        if (!used) {
          std::string why = blocked_reason(sp);
          tr->add("  left out '" + std::string(tok) + "': " + (why.empty() ? "no rule binds it" : why));
        }
      }
    }
  }
  std::vector<Claim> out(std::make_move_iterator(built_all.begin()), std::make_move_iterator(built_all.end()));
  lap(StageTimes::kBinding);
  return out;
}

bool Claim::has_flag(const std::string& f) const {
  return std::find(flags.begin(), flags.end(), f) != flags.end();
}

}  // namespace claimcheck
