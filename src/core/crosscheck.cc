// @brief The cross-source check. Tested by crosscheck_test.cc.
//
// Three passes over the claims, each linear in the number of claims plus
// the work inside one fact group:
//   1. value facts (level, change_pct, ...) grouped by subject, metric, unit,
//      basis, period and face-value date; a group whose intervals have no
//      common point is a conflict (unless the dissent is explained);
//   2. records grouped by subject and basis, clustered by value; the same
//      record with different event dates is a date conflict (a garbled date
//      whose alternative reading matches is a mistranslation);
//   3. month/year-to-date series: figures of two consecutive sessions that
//      differ by exactly the daily move reported for the later session are
//      reported as timing_explained (low), with the arithmetic.
#include "core/crosscheck.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace claimcheck {
namespace {

const ArticleInfo& no_article() {
  static const ArticleInfo a;
  return a;
}

const TradingCalendar& weekends_only() {
  static const TradingCalendar cal;
  return cal;
}

double eps_of(double x) { return 1e-9 * std::max(1.0, std::fabs(x)); }

// Shortest readable number: 6086.49, 11.2, 2700000000000 -> 2.7e+12.
// to_chars with a precision is printf's %.10g without the locale, and a
// tenth of its cost.
std::string num(double v) {
  char buf[48];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 10);
  return std::string(buf, r.ptr);
}

std::string pct(double v) { return num(v) + "%"; }

// At most n bytes of s, never cutting a UTF-8 sequence.
std::string utf8_prefix(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n) + "...";
}

std::string value_text(const Claim& c) {
  if (c.unit == "pct") return pct(c.value);
  if (c.unit == "bp") return num(c.value) + " bp";
  if (c.unit == "usd") return "$" + num(c.value);
  return num(c.value);
}

// Units that can be compared: a level in "usd", "points" or "none" is the same quantity
// (outlets differ in writing "$1.0582" or "1.0582"); percent, basis points, counts and
// ratios stay apart.
std::string unit_class(const std::string& u) {
  if (u == "pct" || u == "bp" || u == "count" || u == "ratio") return u;
  return "amount";
}

std::string basis_norm(const std::string& b) {
  if (b == "close" || b == "unspecified" || b.empty()) return "close";
  return b;
}

// One claim as the engine sees it.
struct Item {
  const Claim* c = nullptr;
  const ArticleInfo* a = nullptr;
  std::string face_as_of, face_ps, face_pe;  // face-value dating
  bool shifted = false;                      // context date differs from face value
  double lo = 0, hi = 0;
};

bool item_less(const Item* x, const Item* y) {
  if (x->c->article != y->c->article) return x->c->article < y->c->article;
  if (x->c->start != y->c->start) return x->c->start < y->c->start;
  if (x->c->end != y->c->end) return x->c->end < y->c->end;
  return x->c->value < y->c->value;
}

size_t article_count(const std::vector<Item*>& v) {
  std::set<std::string> s;
  for (const Item* i : v) s.insert(i->c->article);
  return s.size();
}

bool consistent(const std::vector<Item*>& v, double* lo = nullptr, double* hi = nullptr) {
  double mlo = -INFINITY, mhi = INFINITY;
  for (const Item* i : v) {
    mlo = std::max(mlo, i->lo);
    mhi = std::min(mhi, i->hi);
  }
  if (lo) *lo = mlo;
  if (hi) *hi = mhi;
  return mlo <= mhi + eps_of(mhi);
}

// The point covered by the most articles (each article's claims share one
// vote); returns the claims that contain it.
std::vector<Item*> majority(const std::vector<Item*>& v) {
  std::map<std::string, int> per_article;
  for (const Item* i : v) per_article[i->c->article]++;
  struct Ev {
    double x;
    int type;  // 0 start, 1 end
    double w;
  };
  std::vector<Ev> ev;
  ev.reserve(v.size() * 2);
  for (const Item* i : v) {
    double w = 1.0 / per_article[i->c->article];
    ev.push_back({i->lo - eps_of(i->lo), 0, w});
    ev.push_back({i->hi + eps_of(i->hi), 1, w});
  }
  std::stable_sort(ev.begin(), ev.end(), [](const Ev& a, const Ev& b) {
    if (a.x != b.x) return a.x < b.x;
    return a.type < b.type;
  });
  double cur = 0, best = -1, at = 0;
  for (const Ev& e : ev) {
    if (e.type == 0) {
      cur += e.w;
      if (cur > best + 1e-12) {
        best = cur;
        at = e.x;
      }
    } else {
      cur -= e.w;
    }
  }
  std::vector<Item*> m;
  for (Item* i : v)
    if (i->lo - eps_of(i->lo) <= at && at <= i->hi + eps_of(i->hi)) m.push_back(i);
  return m;
}

std::string articles_text(const std::vector<Item*>& v) {
  std::vector<std::string> ids;
  for (const Item* i : v)
    if (std::find(ids.begin(), ids.end(), i->c->article) == ids.end()) ids.push_back(i->c->article);
  std::string s;
  for (size_t k = 0; k < ids.size(); ++k) {
    if (k) s += k + 1 == ids.size() ? " and " : ", ";
    s += ids[k];
  }
  return s;
}

std::string outlet(const Item* i) {
  std::string s = i->c->article;
  if (!i->a->source.empty()) s += " (" + i->a->source + ")";
  return s;
}

// The most precise claim of a set (narrowest interval).
const Item* most_precise(const std::vector<Item*>& v) {
  const Item* best = nullptr;
  for (const Item* i : v)
    if (!best || (i->hi - i->lo) < (best->hi - best->lo)) best = i;
  return best;
}

std::string sorted_digits(double v) {
  std::string s = num(std::fabs(v)), d;
  for (char ch : s)
    if (ch >= '0' && ch <= '9') d += ch;
  while (!d.empty() && d.back() == '0') d.pop_back();
  std::sort(d.begin(), d.end());
  return d;
}

// A dissenting value that is the majority's scaled by a power of ten.
int scale_slip(const Item* d, double mlo, double mhi) {
  for (int k = -4; k <= 4; ++k) {
    if (k == 0) continue;
    double f = std::pow(10.0, k);
    double v = d->c->value * f, mid = (mlo + mhi) / 2;
    if (mid != 0 && std::fabs(v - mid) <= 0.005 * std::fabs(mid) + eps_of(mid)) return k;
  }
  return 0;
}

// A misprint changes a digit or two; a change of sign or a factor of three
// in a move (1.5 in a level) is more likely another period or another fact.
bool plausible_misprint(double v, double ref, const std::string& metric) {
  bool move = metric == "change_pct" || metric == "change_abs";
  if (move) {
    if ((v < 0) != (ref < 0) && v != 0 && ref != 0) return false;
    double a = std::fabs(v), b = std::fabs(ref);
    return std::max(a, b) <= 3 * std::min(a, b);
  }
  if (v <= 0 || ref <= 0) return true;
  return std::max(v, ref) <= 1.5 * std::min(v, ref);
}

std::string fact_text(const Item* i, bool face) {
  const Claim& c = *i->c;
  std::string s = c.subject + " " + c.metric;
  const std::string& ps = face ? i->face_ps : c.period_start;
  const std::string& pe = face ? i->face_pe : c.period_end;
  const std::string& as = face ? i->face_as_of : c.as_of;
  if (!ps.empty() && ps != pe) s += " " + ps + ".." + pe;
  else if (!as.empty()) s += " on " + as;
  s += " (" + basis_norm(c.basis) + ")";
  return s;
}

struct TimingEntry {
  std::string subject, metric, fact;
  std::string d1, d2;
  std::vector<Item*> side1, side2;  // earlier and later date
  std::vector<Item*> context;       // side1 claims dated by their article's context
};

class Engine {
 public:
  Engine(const std::vector<ClaimRef>& refs, const CheckOptions& opt)
      : opt_(opt), cal_(opt.calendar ? *opt.calendar : weekends_only()) {
    items_.reserve(refs.size());
    for (const ClaimRef& r : refs) {
      if (!r.claim) continue;
      Item it;
      it.c = r.claim;
      it.a = r.article ? r.article : &no_article();
      it.lo = std::min(r.claim->lo, r.claim->hi);
      it.hi = std::max(r.claim->lo, r.claim->hi);
      if (std::isnan(it.lo) || std::isnan(it.hi)) continue;
      face_value(&it);
      items_.push_back(std::move(it));
    }
  }

  std::vector<Conflict> run() {
    pass_values();
    pass_records();
    pass_series();
    emit_timing();
    finish();
    return std::move(out_);
  }

 private:
  void face_value(Item* it) {
    const Claim& c = *it->c;
    it->face_as_of = c.as_of;
    it->face_ps = c.period_start;
    it->face_pe = c.period_end;
    if (c.as_of_basis != "context" || c.as_of.empty()) return;
    auto pub = Date::parse(it->a->published);
    if (!pub) return;
    Date f = (it->a->published_minute >= 16 * 60 && cal_.is_trading_day(*pub)) ? *pub : cal_.last_close_before(*pub);
    std::string fs = f.iso();
    if (fs == c.as_of) return;
    auto own = Date::parse(c.as_of);
    if (own && *own > f) return;  // a context date after publication: keep it
    it->shifted = true;
    it->face_as_of = fs;
    if (c.period_end == c.as_of) {
      if (c.period_start == c.period_end) it->face_ps = fs;
      it->face_pe = fs;
    }
  }

  static bool is_record(const Claim& c) { return c.metric == "record_level" || (c.metric == "level" && c.record); }
  static std::string record_date(const Claim& c) {
    if (!c.event_date.empty()) return c.event_date;
    if (c.metric == "level" && c.record) return c.as_of;
    // "Friday's record close of ...": the sentence dates the record itself.
    if (c.metric == "record_level" && c.as_of_basis == "sentence") return c.as_of;
    return "";
  }
  static bool is_series(const Claim& c) {
    return c.metric == "change_pct" && !c.period_start.empty() && !c.period_end.empty() &&
           c.period_start != c.period_end && c.period_end == c.as_of;
  }
  static bool is_daily(const Claim& c) {
    return c.metric == "change_pct" && !c.as_of.empty() && c.period_start == c.as_of && c.period_end == c.as_of &&
           basis_norm(c.basis) == "close";
  }
  static std::string series_key(const Claim& c) {
    return c.subject + '\x1f' + c.metric + '\x1f' + unit_class(c.unit) + '\x1f' + basis_norm(c.basis) + '\x1f' +
           c.period_start;
  }

  // ---- pass 1: value facts -------------------------------------------------
  void pass_values() {
    std::unordered_map<std::string, std::vector<Item*>> groups;
    for (Item& it : items_) {
      const Claim& c = *it.c;
      if (c.metric == "record_level" || c.metric == "avg_change_pct") continue;
      if (c.has_flag("as_of_uncertain")) continue;
      if (it.face_as_of.empty() && it.face_pe.empty()) continue;
      std::string key = c.subject + '\x1f' + c.metric + '\x1f' + unit_class(c.unit) + '\x1f' + basis_norm(c.basis) + '\x1f' +
                        it.face_ps + '\x1f' + it.face_pe + '\x1f' + it.face_as_of;
      groups[key].push_back(&it);
      if (is_daily(c)) daily_[c.subject + '\x1f' + c.as_of].push_back(&it);
    }
    for (auto& [key, g] : groups) {
      if (g.size() < 2) continue;
      std::sort(g.begin(), g.end(), item_less);
      check_value_group(g);
    }
  }

  void check_value_group(const std::vector<Item*>& g) {
    if (article_count(g) < 2 || consistent(g)) return;
    std::vector<Item*> m = majority(g);
    std::set<std::string> m_articles;
    for (const Item* i : m) m_articles.insert(i->c->article);
    std::vector<Item*> shifted, internal, dissent;
    for (Item* i : g) {
      if (std::find(m.begin(), m.end(), i) != m.end()) continue;
      if (i->shifted) shifted.push_back(i);
      else if (m_articles.count(i->c->article)) internal.push_back(i);
      else dissent.push_back(i);
    }
    // The majority itself may contain context-dated claims that a dissent disagrees with.
    if (!dissent.empty()) {
      std::vector<Item*> ms;
      for (Item* i : m)
        if (i->shifted) ms.push_back(i);
      if (!ms.empty() && ms.size() == m.size()) {
        // Every majority claim is context-dated: the dissent is the face-value reading.
        std::vector<Item*> rest = dissent;
        add_timing(ms, rest);
        dissent.clear();
      }
    }
    if (!dissent.empty()) {
      // Misprint-like dissent and far-off figures (likely another period) are reported apart,
      // so that an extraction slip does not blur a real misprint.
      double mlo, mhi;
      consistent(m, &mlo, &mhi);
      const Item* r = most_precise(m);
      std::vector<Item*> plain, odd;
      for (Item* d : dissent) {
        bool translation = (d->c->has_flag("garbled_number") && d->c->alt_value) ||
                           (scale_slip(d, mlo, mhi) != 0 && (d->a->translated || d->c->has_flag("garbled_number")));
        (translation || plausible_misprint(d->c->value, r->c->value, d->c->metric) ? plain : odd).push_back(d);
      }
      if (!plain.empty()) value_conflict(g, m, plain);
      if (!odd.empty()) value_conflict(g, m, odd);
    }
    if (!shifted.empty()) {
      std::vector<Item*> later = m;
      later.erase(std::remove_if(later.begin(), later.end(), [](const Item* i) { return i->shifted; }), later.end());
      if (!later.empty()) add_timing(shifted, later);
    }
    if (!internal.empty() && dissent.empty()) {
      Conflict k;
      k.kind = "value_mismatch";
      k.severity = "low";
      const Item* r = most_precise(m);
      k.subject = r->c->subject;
      k.metric = r->c->metric;
      k.fact = fact_text(r, true);
      for (Item* i : m) add_claim(&k, i);
      for (Item* i : internal) add_claim(&k, i);
      std::string ex = "Within " + articles_text(internal) + " the same fact (" + k.fact + ") is given as " +
                       value_text(*internal.front()->c) + " and " + value_text(*r->c) + "; other outlets (" +
                       articles_text(m) + ") say " + value_text(*r->c) +
                       ". The article contradicts itself, or the second figure belongs to another period or "
                       "subject (check the extraction).";
      k.explanation = ex;
      out_.push_back(std::move(k));
    }
  }

  void value_conflict(const std::vector<Item*>& g, const std::vector<Item*>& m, const std::vector<Item*>& dissent) {
    double mlo, mhi;
    consistent(m, &mlo, &mhi);
    const Item* r = most_precise(m);
    Conflict k;
    k.subject = r->c->subject;
    k.metric = r->c->metric;
    k.fact = fact_text(r, true);
    for (Item* i : m) add_claim(&k, i);
    for (Item* i : dissent) add_claim(&k, i);
    (void)g;
    size_t ma = article_count(m), da = article_count(dissent);
    bool all_translation = true, low_conf = false, implausible = false;
    std::string why;
    std::optional<double> alt;
    for (const Item* d : dissent) {
      if (d->c->confidence < opt_.low_confidence) low_conf = true;
      bool garbled = d->c->has_flag("garbled_number");
      if (garbled && d->c->alt_value && *d->c->alt_value >= mlo - eps_of(mlo) && *d->c->alt_value <= mhi + eps_of(mhi)) {
        alt = *d->c->alt_value;
        why = " The figure in " + d->c->article + " is garbled (" + d->c->text + "); read as " + num(*alt) +
              " it agrees.";
        continue;
      }
      int k10 = scale_slip(d, mlo, mhi);
      if (k10 != 0 && (d->a->translated || garbled)) {
        why = " " + d->c->article + " is a translation and its " + value_text(*d->c) + " is " + value_text(*r->c) +
              " x 10^" + std::to_string(-k10) +
              ": a scale slip in the translation (e.g. yi/wan or billion/trillion), not a different figure.";
        continue;
      }
      all_translation = false;
      if (!plausible_misprint(d->c->value, r->c->value, d->c->metric)) {
        implausible = true;
        why += " " + d->c->article + "'s " + value_text(*d->c) +
               " is too far from the others to be a misprint: it may belong to another period, date or subject "
               "(check the sentence).";
      } else if (k10 != 0) why += " " + d->c->article + "'s figure is off by a factor of ten (a scale slip?).";
      else if (sorted_digits(d->c->value) == sorted_digits(r->c->value))
        why += " " + d->c->article + "'s " + value_text(*d->c) + " has the same digits as " + value_text(*r->c) +
               ": transposed digits are likely.";
    }
    std::string dv;
    {
      std::vector<std::string> seen;
      for (const Item* d : dissent) {
        std::string t = value_text(*d->c) + " in " + outlet(d);
        if (std::find(seen.begin(), seen.end(), t) == seen.end()) seen.push_back(t);
      }
      for (size_t i = 0; i < seen.size(); ++i) dv += (i ? "; " : "") + seen[i];
    }
    std::string mv;
    {
      std::vector<double> vals;
      for (const Item* i : m) {
        if (std::find(vals.begin(), vals.end(), i->c->value) != vals.end()) continue;
        vals.push_back(i->c->value);
        mv += (mv.empty() ? "" : " / ") + value_text(*i->c);
      }
    }
    std::string ex = "Same fact, incompatible at face value: " + k.fact + " is " + dv + ", but " + mv + " in " +
                     articles_text(m) + ".";
    bool likely = ma >= 2 && ma > da;
    if (likely) ex += " " + value_text(*r->c) + " is the likely truth (" + std::to_string(ma) + " outlets agree).";
    ex += why;
    if (all_translation) {
      k.kind = "mistranslation";
      k.severity = "medium";
      k.suggestion = nlohmann::ordered_json{{"value", alt ? *alt : r->c->value}};
    } else {
      k.kind = "value_mismatch";
      k.severity = (low_conf || implausible) ? "medium" : "high";
      if (low_conf) ex += " A dissenting claim was extracted with low confidence: check the sentence.";
      if (likely) k.suggestion = nlohmann::ordered_json{{"value", r->c->value}};
    }
    k.explanation = ex;
    out_.push_back(std::move(k));
  }

  // side1 is dated earlier (its own as_of), side2 later.
  void add_timing(const std::vector<Item*>& side1, const std::vector<Item*>& side2) {
    // Split side1 by its own date (normally one).
    for (Item* i : side1) {
      std::string d1 = i->c->as_of, d2 = side2.front()->c->as_of;
      if (i->shifted && d2.empty()) d2 = i->face_as_of;
      bool swap = d2 < d1;
      std::string key = series_key(*i->c) + '\x1f' + (swap ? d2 : d1) + '\x1f' + (swap ? d1 : d2);
      TimingEntry& e = timing_[key];
      if (e.subject.empty()) {
        e.subject = i->c->subject;
        e.metric = i->c->metric;
        e.d1 = swap ? d2 : d1;
        e.d2 = swap ? d1 : d2;
      }
      auto add = [](std::vector<Item*>& v, Item* x) {
        if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
      };
      if (!swap) {
        add(e.side1, i);
        if (i->shifted) add(e.context, i);
        for (Item* j : side2) add(e.side2, j);
      } else {
        add(e.side2, i);
        for (Item* j : side2) add(e.side1, j);
      }
    }
  }

  // ---- pass 2: records ----------------------------------------------------
  void pass_records() {
    std::unordered_map<std::string, std::vector<Item*>> groups;
    for (Item& it : items_)
      if (is_record(*it.c)) groups[it.c->subject + '\x1f' + it.c->basis].push_back(&it);
    for (auto& [key, g] : groups) {
      if (g.size() < 2) continue;
      std::sort(g.begin(), g.end(), [](const Item* x, const Item* y) {
        if (x->lo != y->lo) return x->lo < y->lo;
        return item_less(x, y);
      });
      std::vector<Item*> cluster;
      double hi = -INFINITY;
      for (Item* i : g) {
        if (!cluster.empty() && i->lo > hi + eps_of(hi)) {
          check_record_cluster(cluster);
          cluster.clear();
          hi = -INFINITY;
        }
        cluster.push_back(i);
        hi = std::max(hi, i->hi);
      }
      check_record_cluster(cluster);
    }
  }

  void check_record_cluster(std::vector<Item*> cl) {
    if (cl.size() < 2 || article_count(cl) < 2) return;
    std::sort(cl.begin(), cl.end(), item_less);
    std::vector<Item*> clean, garbled, uncertain;
    for (Item* i : cl) {
      if (record_date(*i->c).empty()) continue;
      if (i->c->has_flag("as_of_uncertain")) uncertain.push_back(i);
      else if (i->c->has_flag("garbled_date")) garbled.push_back(i);
      else clean.push_back(i);
    }
    std::map<const Item*, std::string> alt_of;
    for (const Item* g : garbled) alt_of[g] = g->c->alt_event_date;
    // A translation that keeps the day but loses the month ("set on January 15th" for May 15):
    // its date, found in no other outlet, has the day and year of another outlet's date.
    for (auto it = clean.begin(); it != clean.end();) {
      const Item* t = *it;
      auto dt = Date::parse(record_date(*t->c));
      std::string other;
      bool alone = true;
      if (t->a->translated && dt) {
        for (const Item* o : clean) {
          if (o->c->article == t->c->article) continue;
          auto od = Date::parse(record_date(*o->c));
          if (!od) continue;
          if (*od == *dt) alone = false;
          else if (od->day() == dt->day() && od->year() == dt->year() && od->month() != dt->month()) other = od->iso();
        }
      }
      if (alone && !other.empty()) {
        alt_of[t] = other;
        garbled.push_back(*it);
        it = clean.erase(it);
      } else {
        ++it;
      }
    }
    // Majority date among the clean claims, by article.
    std::map<std::string, std::set<std::string>> by_date;
    for (const Item* i : clean) by_date[record_date(*i->c)].insert(i->c->article);
    // A garbled date whose alternative reading is one of them supports that reading.
    std::map<std::string, std::set<std::string>> support = by_date;
    for (const Item* g : garbled)
      if (support.count(alt_of[g])) support[alt_of[g]].insert(g->c->article);
    std::string best;
    size_t best_n = 0;
    bool tie = false;
    for (const auto& [d, arts] : support) {
      if (arts.size() > best_n) {
        best = d;
        best_n = arts.size();
        tie = false;
      } else if (arts.size() == best_n) {
        tie = true;
      }
    }
    const Item* ref = cl.front();
    std::string fact = ref->c->subject + " record (" + (ref->c->basis.empty() ? "unspecified" : ref->c->basis) +
                       ") of " + num(most_precise(cl)->c->value);
    // Garbled dates.
    std::map<std::string, Conflict> mis;
    for (Item* gi : garbled) {
      const Claim& c = *gi->c;
      std::string alt = alt_of[gi], written = record_date(c);
      bool supported = !alt.empty() && by_date.count(alt);
      if (!supported && by_date.size() == 1 && by_date.count(written)) continue;  // agrees as written
      if (!supported && clean.empty()) continue;
      Conflict& k = mis[supported ? "m" + alt : "d" + c.article + std::to_string(c.start)];
      if (k.claims.empty()) {
        k.subject = c.subject;
        k.metric = "record_level";
        k.fact = "date of the " + fact;
        k.severity = "medium";
        if (supported) {
          k.kind = "mistranslation";
          for (Item* s : clean)
            if (record_date(*s->c) == alt) add_claim(&k, s);
          k.suggestion = nlohmann::ordered_json{{"event_date", alt}};
          k.explanation = "The " + fact + " is dated " + written + " in " + c.article + " but " + alt + " in " +
                          articles_text(supporters(clean, alt)) + ". " + c.article + "'s date looks garbled by "
                          "translation (" + (c.has_flag("garbled_date") ? "an orphan month number" : "same day, another month") +
                          ": \"" + utf8_prefix(c.quote, 90) + "\"); read as " + alt +
                          " it agrees. The likely date is " + alt + ".";
        } else {
          k.kind = "date_mismatch";
          for (Item* s : clean) add_claim(&k, s);
          std::string ex = "The " + fact + " is dated " + written + " in " + c.article + " (a garbled date";
          if (!alt.empty()) ex += ", alternatively " + alt;
          ex += ") but ";
          for (auto it = by_date.begin(); it != by_date.end(); ++it)
            ex += (it == by_date.begin() ? "" : ", ") + it->first + " elsewhere";
          ex += "; check the source.";
          k.explanation = ex;
          if (!alt.empty()) k.suggestion = nlohmann::ordered_json{{"event_date", alt}};
        }
      }
      add_claim(&k, gi);
    }
    for (auto& [key, k] : mis)
      if (claim_articles(k) >= 2) out_.push_back(std::move(k));
    // Clean dates that disagree.
    if (by_date.size() >= 2 && article_count(clean) >= 2) {
      Conflict k;
      k.kind = "date_mismatch";
      k.subject = ref->c->subject;
      k.metric = "record_level";
      k.fact = "date of the " + fact;
      bool low_conf = false;
      for (Item* i : clean) {
        add_claim(&k, i);
        if ((tie || record_date(*i->c) != best) && i->c->confidence < opt_.low_confidence) low_conf = true;
      }
      std::string ex = "The same " + fact + " is dated ";
      size_t n = 0;
      for (const auto& [d, arts] : by_date) {
        ex += (n++ ? " but " : "") + d + " in " + join(arts);
      }
      ex += ".";
      bool has_alt = false;
      for (const Item* i : clean)
        if (!i->c->alt_event_date.empty()) has_alt = true;
      if (!tie && best_n >= 2) {
        ex += " " + best + " is the likely date (" + std::to_string(best_n) + " outlets agree" +
              (best_n > by_date[best].size() ? ", counting a garbled date read as " + best : std::string()) + ").";
        k.suggestion = nlohmann::ordered_json{{"event_date", best}};
      } else {
        ex += " No majority: the editor should check the record's date.";
      }
      if (low_conf) ex += " A dissenting claim was extracted with low confidence (relative day names are easy to "
                          "misplace): check the sentence.";
      k.severity = (low_conf || has_alt) ? "medium" : "high";
      k.explanation = ex;
      out_.push_back(std::move(k));
    }
    // Undated sources: at most low.
    for (Item* u : uncertain) {
      std::string d = record_date(*u->c);
      if (by_date.empty() || by_date.count(d)) continue;
      Conflict k;
      k.kind = "date_mismatch";
      k.severity = "low";
      k.subject = ref->c->subject;
      k.metric = "record_level";
      k.fact = "date of the " + fact;
      add_claim(&k, u);
      for (Item* i : clean) add_claim(&k, i);
      k.explanation = u->c->article + " dates the " + fact + " " + d +
                      ", but its publication date is unknown, so its relative date cannot be placed; other "
                      "outlets give " + (best.empty() ? by_date.begin()->first : best) + ". Not a contradiction "
                      "until the article's date is known.";
      out_.push_back(std::move(k));
    }
  }

  static std::vector<Item*> supporters(const std::vector<Item*>& clean, const std::string& date) {
    std::vector<Item*> v;
    for (Item* i : clean)
      if (record_date(*i->c) == date) v.push_back(i);
    return v;
  }
  static std::string join(const std::set<std::string>& s) {
    std::string r;
    size_t k = 0;
    for (const auto& x : s) {
      if (k) r += k + 1 == s.size() ? " and " : ", ";
      r += x;
      ++k;
    }
    return r;
  }
  static size_t claim_articles(const Conflict& k) {
    std::set<std::string> s;
    for (const ClaimRef& r : k.claims) s.insert(r.claim->article);
    return s.size();
  }

  // ---- pass 3: month/year-to-date series ----------------------------------
  void pass_series() {
    std::unordered_map<std::string, std::map<std::string, std::vector<Item*>>> series;
    for (Item& it : items_) {
      const Claim& c = *it.c;
      if (!is_series(c) || c.has_flag("as_of_uncertain")) continue;
      series[series_key(c)][c.as_of].push_back(&it);
    }
    for (auto& [key, by_date] : series) {
      if (by_date.size() < 2) continue;
      for (auto& [d2s, side2] : by_date) {
        auto d2 = Date::parse(d2s);
        if (!d2) continue;
        auto it1 = by_date.find(cal_.last_close_before(*d2).iso());
        if (it1 == by_date.end()) continue;
        std::vector<Item*> s1 = it1->second, s2 = side2;
        std::sort(s1.begin(), s1.end(), item_less);
        std::sort(s2.begin(), s2.end(), item_less);
        std::vector<Item*> all = s1;
        all.insert(all.end(), s2.begin(), s2.end());
        if (article_count(all) < 2 || consistent(all)) continue;
        std::vector<Item*> m1 = majority(s1), m2 = majority(s2);
        double lo1, hi1, lo2, hi2;
        consistent(m1, &lo1, &hi1);
        consistent(m2, &lo2, &hi2);
        if (lo1 <= hi2 + eps_of(hi2) && lo2 <= hi1 + eps_of(hi1)) continue;  // they agree
        std::string why;
        if (!explain_by_daily(*m1.front()->c, lo1, hi1, d2s, lo2, hi2, &why)) continue;
        add_timing(m1, m2);
      }
    }
  }

  // (1 + a)(1 + d) - 1 for a period change, L(1 + d) for a level.
  bool explain_by_daily(const Claim& c1, double lo1, double hi1, const std::string& d2, double lo2, double hi2,
                        std::string* text) {
    auto it = daily_.find(c1.subject + '\x1f' + d2);
    if (it == daily_.end()) return false;
    std::vector<Item*> ds = it->second;
    std::sort(ds.begin(), ds.end(), item_less);
    std::vector<Item*> dm = majority(ds);
    double dlo, dhi;
    consistent(dm, &dlo, &dhi);
    const Item* d = most_precise(dm);
    bool level = c1.metric != "change_pct";
    auto f = [&](double a, double dd) { return level ? a * (1 + dd / 100) : ((1 + a / 100) * (1 + dd / 100) - 1) * 100; };
    double plo = std::min(f(lo1, dlo), f(hi1, dhi)), phi = std::max(f(lo1, dlo), f(hi1, dhi));
    if (!(plo <= hi2 + eps_of(hi2) && lo2 <= phi + eps_of(phi))) return false;
    double a = c1.value, dv = d->c->value;
    char buf[300];
    if (level)
      std::snprintf(buf, sizeof buf, "%s x %.6g = %.6g (range %.6g..%.6g allowed by the stated precision).",
                    num(a).c_str(), 1 + dv / 100, f(a, dv), plo, phi);
    else
      std::snprintf(buf, sizeof buf,
                    "%.6g x %.6g = %.6g, i.e. %s compounds to %.4g%% (%.4g%%..%.4g%% within the stated precision).",
                    1 + a / 100, 1 + dv / 100, (1 + a / 100) * (1 + dv / 100), pct(a).c_str(), f(a, dv), plo, phi);
    *text = "The daily move of " + pct(dv) + " on " + d2 + " (" + d->c->article + ": \"" + utf8_prefix(d->c->quote, 120) +
            "\") accounts for the gap: " + buf;
    return true;
  }

  void emit_timing() {
    for (auto& [key, e] : timing_) {
      if (e.side1.empty() || e.side2.empty()) continue;
      std::sort(e.side1.begin(), e.side1.end(), item_less);
      std::sort(e.side2.begin(), e.side2.end(), item_less);
      std::vector<Item*> all = e.side1;
      all.insert(all.end(), e.side2.begin(), e.side2.end());
      if (article_count(all) < 2) continue;
      std::vector<Item*> m1 = majority(e.side1), m2 = majority(e.side2);
      double lo1, hi1, lo2, hi2;
      consistent(m1, &lo1, &hi1);
      consistent(m2, &lo2, &hi2);
      std::string arith;
      auto d1 = Date::parse(e.d1), d2 = Date::parse(e.d2);
      bool consecutive = d1 && d2 && cal_.last_close_before(*d2) == *d1;
      bool explained = consecutive && explain_by_daily(*m1.front()->c, lo1, hi1, e.d2, lo2, hi2, &arith);
      if (!explained && e.context.empty()) continue;
      Conflict k;
      k.kind = "timing_explained";
      k.severity = "low";
      k.subject = e.subject;
      k.metric = e.metric;
      const Item* r2 = most_precise(m2);
      const Item* r1 = most_precise(m1);
      k.fact = fact_text(r2, false);
      for (Item* i : all) add_claim(&k, i);
      std::string ex;
      std::vector<Item*> ctx;
      for (Item* i : e.context)
        if (std::find(ctx.begin(), ctx.end(), i) == ctx.end()) ctx.push_back(i);
      if (!ctx.empty()) {
        ex = value_text(*ctx.front()->c) + " in " + articles_text(ctx) + " (published " + ctx.front()->a->published +
             ", no date in the sentence) read at face value as of " + ctx.front()->face_as_of + " disagrees with " +
             value_text(*r2->c) + " in " + articles_text(m2) + ". But the article says elsewhere that its figures "
             "are as of " + e.d1 + ", so its figure was already stale when it appeared.";
      } else {
        ex = value_text(*r1->c) + " as of " + e.d1 + " in " + articles_text(m1) + " and " + value_text(*r2->c) +
             " as of " + e.d2 + " in " + articles_text(m2) + " differ because they are dated one session apart.";
      }
      if (explained) ex += " " + arith + " So " + value_text(*r1->c) + " on " + e.d1 + " and " + value_text(*r2->c) +
                           " on " + e.d2 + " agree.";
      else ex += " No daily move for " + e.d2 + " was found to check the arithmetic.";
      k.explanation = ex;
      out_.push_back(std::move(k));
    }
  }

  void add_claim(Conflict* k, const Item* i) {
    for (const ClaimRef& r : k->claims)
      if (r.claim == i->c) return;
    k->claims.push_back(ClaimRef{i->c, i->a == &no_article() ? nullptr : i->a});
  }

  void finish() {
    for (Conflict& k : out_) {
      std::sort(k.claims.begin(), k.claims.end(), [](const ClaimRef& x, const ClaimRef& y) {
        if (x.claim->article != y.claim->article) return x.claim->article < y.claim->article;
        if (x.claim->start != y.claim->start) return x.claim->start < y.claim->start;
        if (x.claim->end != y.claim->end) return x.claim->end < y.claim->end;
        return x.claim->value < y.claim->value;
      });
      k.fingerprint = conflict_fingerprint(k);
    }
    std::sort(out_.begin(), out_.end(), [](const Conflict& a, const Conflict& b) {
      int sa = severity_rank(a.severity), sb = severity_rank(b.severity);
      if (sa != sb) return sa < sb;
      if (a.subject != b.subject) return a.subject < b.subject;
      if (a.metric != b.metric) return a.metric < b.metric;
      if (a.kind != b.kind) return a.kind < b.kind;
      return a.fingerprint < b.fingerprint;
    });
    // The same claims in the same way twice (possible through merging): keep one.
    out_.erase(std::unique(out_.begin(), out_.end(),
                           [](const Conflict& a, const Conflict& b) { return a.fingerprint == b.fingerprint; }),
               out_.end());
    long long id = 0;
    for (Conflict& k : out_) k.id = ++id;
  }

  CheckOptions opt_;
  const TradingCalendar& cal_;
  std::vector<Item> items_;
  std::unordered_map<std::string, std::vector<Item*>> daily_;
  std::map<std::string, TimingEntry> timing_;
  std::vector<Conflict> out_;
};

}  // namespace

std::string fnv1a64_hex(const std::string& s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char ch : s) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string conflict_fingerprint(const Conflict& c) {
  std::vector<std::string> parts;
  for (const ClaimRef& r : c.claims) {
    // "%lld\x1f%lld\x1f%.12g", as snprintf wrote it (to_chars gives the
    // same bytes).
    char buf[80];
    char* p = std::to_chars(buf, buf + 24, r.claim->start).ptr;
    *p++ = '\x1f';
    p = std::to_chars(p, p + 24, r.claim->end).ptr;
    *p++ = '\x1f';
    p = std::to_chars(p, buf + sizeof buf, r.claim->value, std::chars_format::general, 12).ptr;
    parts.push_back(r.claim->article + '\x1f' + std::string(buf, p));
  }
  std::sort(parts.begin(), parts.end());
  std::string s = c.kind + '\x1e' + c.subject + '\x1e' + c.metric;
  for (const auto& p : parts) s += '\x1e' + p;
  return fnv1a64_hex(s);
}

void apply_reviews(std::vector<Conflict>* conflicts, const std::unordered_map<std::string, Review>& by_fingerprint) {
  for (Conflict& c : *conflicts) {
    auto it = by_fingerprint.find(c.fingerprint);
    if (it == by_fingerprint.end()) continue;
    c.status = it->second.status;
    c.note = it->second.note;
  }
}

int severity_rank(const std::string& s) {
  if (s == "high") return 0;
  if (s == "medium") return 1;
  if (s == "low") return 2;
  return 3;
}

std::string context_as_of(const std::vector<Claim>& article_claims) {
  std::map<std::string, int> n;
  for (const Claim& c : article_claims)
    if (c.as_of_basis == "context" && !c.as_of.empty()) n[c.as_of]++;
  std::string best;
  int bn = 0;
  for (const auto& [d, k] : n)
    if (k > bn) {
      best = d;
      bn = k;
    }
  return best;
}

std::vector<Conflict> find_conflicts(const std::vector<ClaimRef>& claims) {
  return find_conflicts(claims, CheckOptions{});
}

std::vector<Conflict> find_conflicts(const std::vector<ClaimRef>& claims, const CheckOptions& opt) {
  Engine e(claims, opt);
  return e.run();
}

}  // namespace claimcheck
