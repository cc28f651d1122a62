// @brief `claimcheck eval --gold GOLD_DIR ARTICLES_DIR`: extraction scored against gold.
#include <iomanip>
#include <iostream>
#include <regex>

#include "cli/common.h"
#include "core/eval.h"
#include "core/table.h"

namespace claimcheck::cli {

void add_eval(CLI::App& app) {
  auto* cmd = app.add_subcommand("eval",
                                 "Extract the articles of ARTICLES_DIR and score them against GOLD_DIR/claims.jsonl\n"
                                 "(the shape of ../shared/seeds/gold): recall of the chosen tier, precision (a claim\n"
                                 "is right when it matches a gold claim of any tier), as_of and period accuracy on\n"
                                 "the matched claims, then every miss and every extra.\n"
                                 "  claimcheck eval --gold corpus/gold corpus --require recall>=0.95,precision>=0.9");
  static std::string gold_dir, articles_dir, tier = "must", require;
  static bool brief = false;
  cmd->add_option("--gold", gold_dir, "gold folder with claims.jsonl")->required()->check(CLI::ExistingDirectory);
  cmd->add_option("articles", articles_dir, "folder of articles (.txt with .meta.json sidecars)")->required()->check(CLI::ExistingDirectory);
  cmd->add_option("--tier", tier, "gold tier that recall counts: must or all")->check(CLI::IsMember({"must", "all"}));
  cmd->add_option("--require", require, "fail (exit 4) unless e.g. recall>=0.95,precision>=0.90,as_of>=0.90");
  cmd->add_flag("--brief", brief, "print the figures only, not the misses and extras");
  cmd->callback([] {
    std::vector<GoldClaim> gold;
    try {
      gold = read_gold_claims(gold_dir + "/claims.jsonl");
    } catch (const std::exception& e) {
      std::cerr << "eval: " << e.what() << "\n";
      globals().exit_code = kUsage;
      return;
    }
    Extractor ex(rules());
    std::vector<Claim> preds;
    std::map<std::string, std::string> originals;
    int failed = 0;
    for (const auto& path : expand_inputs({articles_dir})) {
      Article a;
      std::string err;
      if (!load_article(path, load_options(), &a, &err)) {
        std::cerr << path << ": " << err << "\n";
        ++failed;
        continue;
      }
      auto cs = ex.extract(a.doc, a.meta);
      preds.insert(preds.end(), cs.begin(), cs.end());
      originals[a.meta.id] = a.doc.original;
    }
    EvalResult r = evaluate(gold, preds, originals, tier);
    if (!brief) {
      for (const auto& g : r.missed)
        std::cout << "MISSED " << g.c.article.substr(0, 12) << " " << g.c.subject << " " << g.c.metric << " " << g.c.value
                  << " | " << g.c.quote << "\n";
      for (const auto& p : r.extra)
        std::cout << "EXTRA  " << p.article.substr(0, 12) << " " << p.subject << " " << p.metric << " " << p.value
                  << " [" << p.rule << "] | " << p.quote << "\n";
      for (const auto& [g, p] : r.wrong_as_of)
        std::cout << "AS_OF  " << g.c.article.substr(0, 12) << " " << g.c.subject << " " << g.c.value << " gold "
                  << g.c.as_of << " got " << (p.as_of.empty() ? "null" : p.as_of) << " | " << g.c.quote << "\n";
      for (const auto& [g, p] : r.wrong_period)
        std::cout << "PERIOD " << g.c.article.substr(0, 12) << " " << g.c.subject << " " << g.c.value << " gold "
                  << g.c.period_start << ".." << g.c.period_end << " got " << p.period_start << ".." << p.period_end
                  << " | " << g.c.quote << "\n";
    }
    std::cout << std::fixed << std::setprecision(3) << "gold(" << tier << ")=" << r.gold << " pred=" << r.predicted
              << " recall=" << r.recall() << " precision=" << r.precision() << " as_of=" << r.as_of_ok << "/"
              << r.as_of_n << " period=" << r.period_ok << "/" << r.period_n << "\n";
    int code = failed ? kSomeFailed : kOk;
    if (!require.empty()) {
      std::map<std::string, double> got = {{"recall", r.recall()}, {"precision", r.precision()},
                                           {"as_of", r.as_of()}, {"period", r.period()}};
      std::regex cond(R"(\s*(\w+)\s*(>=|<=)\s*([\d.]+)\s*)");
      for (const auto& part : split(require, ',')) {
        std::smatch m;
        if (!std::regex_match(part, m, cond) || !got.count(m[1])) {
          std::cerr << "eval: cannot read requirement '" << part << "' (e.g. recall>=0.95)\n";
          globals().exit_code = kUsage;
          return;
        }
        double v = got[m[1]], x = std::stod(m[3]);
        bool ok = m[2] == ">=" ? v >= x - 1e-12 : v <= x + 1e-12;
        if (!ok) {
          std::cout << "short: " << m[1] << "=" << v << " (needs " << m[2] << m[3] << ")\n";
          code = kBelowTarget;
        }
      }
    }
    globals().exit_code = code;
  });
}

}  // namespace claimcheck::cli
