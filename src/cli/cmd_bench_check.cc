// @brief `claimcheck bench-check`: find_conflicts() on synthetic claims, timed, with peak memory.
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>
#include <random>
#include <unordered_map>

#include "cli/common.h"
#include "core/crosscheck.h"

namespace claimcheck::cli {
namespace {

long peak_rss_kb() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;  // kilobytes on Linux
}

struct Gen {
  std::mt19937_64 rng;
  std::vector<ArticleInfo> articles;  // per (day, outlet)
  std::vector<std::string> days;      // trading days
  int outlets = 4;

  explicit Gen(unsigned seed) : rng(seed) {
    Date d = Date::from_ymd(2024, 1, 2);
    while (days.size() < 250) {
      if (d.weekday() < 5) days.push_back(d.iso());
      d = d + 1;
    }
    for (size_t i = 0; i < days.size(); ++i)
      for (int o = 0; o < outlets; ++o) {
        ArticleInfo a;
        a.id = "bench_" + days[i] + "_" + std::to_string(o);
        a.source = "Outlet " + std::to_string(o);
        a.published = (Date::parse(days[i])->operator+(1)).iso();
        a.published_minute = 7 * 60;
        articles.push_back(std::move(a));
      }
  }

  Claim make(const std::string& subject, const std::string& metric, double value, double half, size_t day,
             const ArticleInfo& a, long long pos) {
    Claim c;
    c.article = a.id;
    c.start = pos;
    c.end = pos + 20;
    c.subject = subject;
    c.metric = metric;
    c.value = value;
    c.lo = value - half;
    c.hi = value + half;
    c.unit = metric == "level" ? "points" : "pct";
    c.as_of = days[day];
    c.as_of_basis = "publication";
    c.basis = "close";
    c.confidence = 0.86;
    if (metric == "change_pct") c.period_start = c.period_end = days[day];
    return c;
  }

  // Claims of `subject` until `target` claims are made. Per fact 2-4 outlets agree; one fact in
  // 200 has a wrong level in one outlet, one in 100 a record dated differently by two outlets;
  // one in 20 also carries month-to-date figures (consistent with the daily moves).
  void subject_claims(const std::string& subject, size_t target, std::vector<Claim>* out, size_t* planted) {
    std::uniform_real_distribution<double> lvl(100, 10000), chg(-3, 3);
    std::uniform_int_distribution<int> coin(0, 199);
    size_t day = static_cast<size_t>(rng() % days.size());
    size_t made = 0;
    long long pos = 0;
    double mtd = 0;
    while (made < target) {
      double level = std::round(lvl(rng) * 100) / 100, move = std::round(chg(rng) * 100) / 100;
      if (day == 0 || days[day].substr(0, 7) != days[day - 1].substr(0, 7)) mtd = 0;
      mtd = std::round(((1 + mtd / 100) * (1 + move / 100) - 1) * 10000) / 100;
      int roll = coin(rng);
      bool conflict = roll == 0, record = roll == 1 || roll == 2, with_mtd = roll >= 190;
      int n = 2 + static_cast<int>(rng() % 3), levels = 0;
      for (int k = 0; k < n && made < target; ++k) {
        const ArticleInfo& a = articles[day * static_cast<size_t>(outlets) + static_cast<size_t>(k)];
        double v = (conflict && k == 0) ? level * 1.1 : level;
        out->push_back(make(subject, "level", v, 0.005, day, a, pos += 40));
        ++made;
        ++levels;
        if (made < target) {
          out->push_back(make(subject, "change_pct", move, 0.005, day, a, pos += 40));
          ++made;
        }
        if (with_mtd && made < target) {
          Claim c = make(subject, "change_pct", mtd, 0.005, day, a, pos += 40);
          c.period_start = days[day].substr(0, 8) + "01";
          out->push_back(std::move(c));
          ++made;
        }
        if (record && k < 2 && made < target) {
          Claim c = make(subject, "record_level", level * 1.2, 0.005, day, a, pos += 40);
          c.as_of.clear();
          c.as_of_basis.clear();
          c.event_date = days[day >= 10 + static_cast<size_t>(k) ? day - 10 - static_cast<size_t>(k) : day];
          out->push_back(std::move(c));
          ++made;
          if (k == 1 && day >= 10) ++*planted;
        }
      }
      if (conflict && levels >= 2) ++*planted;
      day = (day + 1) % days.size();
    }
  }
};

}  // namespace

void add_bench_check(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench-check",
                                 "Time the cross-check: generate synthetic claims in memory (many subjects and\n"
                                 "dates, 2-4 outlets per fact, one fact in 200 with a planted wrong value), run\n"
                                 "find_conflicts() subject batch by subject batch (facts never span subjects) and\n"
                                 "print seconds, conflicts and peak RSS.\n"
                                 "  claimcheck bench-check --claims 1000000");
  static size_t claims = 1000000, subjects = 4000, batch = 256;
  static unsigned seed = 7;
  cmd->add_option("--claims", claims, "number of synthetic claims")->check(CLI::Range(1, 100000000));
  cmd->add_option("--subjects", subjects, "number of subjects")->check(CLI::Range(1, 10000000));
  cmd->add_option("--batch", batch, "subjects per find_conflicts() call; 0 = all claims in one call");
  cmd->add_option("--seed", seed, "generator seed");
  cmd->callback([] {
    Gen gen(seed);
    std::unordered_map<std::string, const ArticleInfo*> by_id;
    for (const auto& a : gen.articles) by_id[a.id] = &a;
    TradingCalendar cal;  // weekends only: the synthetic days are all weekdays
    CheckOptions opt;
    opt.calendar = &cal;
    size_t per_subject = (claims + subjects - 1) / subjects;
    size_t step = batch == 0 ? subjects : batch;
    size_t made = 0, planted = 0, largest_batch = 0;
    std::map<std::string, size_t> by_kind;
    double check_secs = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (size_t s0 = 0; s0 < subjects && made < claims; s0 += step) {
      std::vector<Claim> cs;
      for (size_t s = s0; s < std::min(subjects, s0 + step) && made < claims; ++s) {
        size_t n = std::min(per_subject, claims - made);
        size_t before = cs.size();
        gen.subject_claims("SYN" + std::to_string(s), n, &cs, &planted);
        made += cs.size() - before;
      }
      largest_batch = std::max(largest_batch, cs.size());
      std::vector<ClaimRef> refs;
      refs.reserve(cs.size());
      for (const Claim& c : cs) refs.push_back(ClaimRef{&c, by_id.at(c.article)});
      auto t1 = std::chrono::steady_clock::now();
      std::vector<Conflict> out = find_conflicts(refs, opt);
      check_secs += std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
      for (const auto& c : out) by_kind[c.kind + "/" + c.severity]++;
    }
    double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "bench-check: " << made << " claims, " << subjects << " subjects, " << planted
              << " planted conflicts; largest batch " << largest_batch << " claims\n";
    size_t found = 0;
    for (const auto& [k, n] : by_kind) {
      std::cout << "  " << k << ": " << n << "\n";
      found += n;
    }
    std::cout << std::fixed << std::setprecision(2) << "find_conflicts: " << check_secs << " s (" << found
              << " conflicts; " << std::setprecision(0) << made / std::max(check_secs, 1e-9)
              << " claims/s); total with generation " << std::setprecision(2) << total << " s; peak RSS "
              << std::setprecision(1) << peak_rss_kb() / 1024.0 << " MB\n";
  });
}

}  // namespace claimcheck::cli
