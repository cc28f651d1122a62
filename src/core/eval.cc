// @brief Gold scoring, mirroring ../shared/tools/score.py. Tested by eval_test.cc.
#include "core/eval.h"

#include <cmath>
#include <fstream>
#include <set>

#include "core/jsonl.h"

namespace claimcheck {
namespace {

using Spans = std::vector<std::pair<long long, long long>>;

Spans find_all(const std::string& hay, const std::string& needle) {
  Spans out;
  if (needle.empty()) return out;
  for (size_t i = hay.find(needle); i != std::string::npos; i = hay.find(needle, i + 1))
    out.push_back({static_cast<long long>(i), static_cast<long long>(i + needle.size())});
  return out;
}

bool same_value(double g, double p) { return std::fabs(g - p) <= 1e-6 * std::max(1.0, std::fabs(g)); }

}  // namespace

std::vector<GoldClaim> read_gold_claims(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::vector<GoldClaim> out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      auto j = nlohmann::json::parse(line);
      GoldClaim g;
      g.c = claim_from_json(j);
      g.c.record = j.value("record", false);
      g.tier = j.value("tier", std::string("must"));
      out.push_back(std::move(g));
    } catch (const std::exception& e) {
      throw std::runtime_error(path + ":" + std::to_string(n) + ": " + e.what());
    }
  }
  return out;
}

EvalResult evaluate(const std::vector<GoldClaim>& gold_all, const std::vector<Claim>& preds_in,
                    const std::map<std::string, std::string>& articles, const std::string& tier) {
  EvalResult r;
  std::set<std::string> arts;
  for (const auto& g : gold_all) arts.insert(g.c.article);
  std::vector<Claim> preds;
  for (const auto& p : preds_in) if (arts.count(p.article)) preds.push_back(p);
  auto gold_spans = [&](const Claim& g) {
    auto it = articles.find(g.article);
    return it == articles.end() ? Spans{} : find_all(it->second, g.quote);
  };
  auto pred_spans = [&](const Claim& p) -> Spans {
    if (p.end > p.start) return {{p.start, p.end}};
    auto it = articles.find(p.article);
    return it == articles.end() ? Spans{} : find_all(it->second, p.quote);
  };
  auto match = [&](const GoldClaim& g, const std::set<size_t>& used) -> long {
    Spans gs = gold_spans(g.c);
    for (size_t i = 0; i < preds.size(); ++i) {
      const Claim& p = preds[i];
      if (used.count(i) || p.article != g.c.article || p.subject != g.c.subject) continue;
      bool metric_ok = p.metric == g.c.metric ||
                       (g.c.record && (p.metric == "level" || p.metric == "record_level") &&
                        (g.c.metric == "level" || g.c.metric == "record_level"));
      if (!metric_ok || !same_value(g.c.value, p.value)) continue;
      Spans ps = pred_spans(p);
      bool ov = gs.empty() || ps.empty();
      for (auto& a : gs) for (auto& b : ps) if (a.first < b.second && b.first < a.second) ov = true;
      if (!ov) continue;
      return static_cast<long>(i);
    }
    return -1;
  };
  std::set<size_t> used;
  for (const auto& g : gold_all) {
    if (tier != "all" && g.tier != "must") continue;
    ++r.gold;
    long i = match(g, used);
    if (i < 0) { r.missed.push_back(g); continue; }
    used.insert(static_cast<size_t>(i));
    ++r.found;
    const Claim& p = preds[static_cast<size_t>(i)];
    if (!g.c.as_of.empty()) {
      ++r.as_of_n;
      if (p.as_of == g.c.as_of) ++r.as_of_ok;
      else r.wrong_as_of.push_back({g, p});
    }
    if (!g.c.period_start.empty() || !g.c.period_end.empty()) {
      ++r.period_n;
      if (p.period_start == g.c.period_start && p.period_end == g.c.period_end) ++r.period_ok;
      else r.wrong_period.push_back({g, p});
    }
  }
  std::set<size_t> used2;
  for (const auto& g : gold_all) {
    long i = match(g, used2);
    if (i >= 0) { used2.insert(static_cast<size_t>(i)); ++r.correct; }
  }
  r.predicted = preds.size();
  for (size_t i = 0; i < preds.size(); ++i) if (!used2.count(i)) r.extra.push_back(preds[i]);
  return r;
}

}  // namespace claimcheck
