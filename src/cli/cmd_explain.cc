// @brief `claimcheck explain "SENTENCE"`: the rule author's debugger.
#include <iostream>

#include "cli/common.h"
#include "core/jsonl.h"
#include "core/pubdate.h"

namespace claimcheck::cli {

void add_explain(CLI::App& app) {
  auto* cmd = app.add_subcommand("explain",
                                 "Show how a sentence (or a whole file with --file) is read: boilerplate masked,\n"
                                 "time expressions and what they resolve to, which rules matched, what each bound\n"
                                 "(subject, metric, value, period, as_of, basis), and why a number was left out.\n"
                                 "  claimcheck explain \"The Nasdaq fell 1.2% last week.\" --published 2024-11-26");
  static std::string text, file, published;
  static bool json = false;
  cmd->add_option("text", text, "the sentence or paragraph to explain");
  cmd->add_option("--file", file, "explain a whole article file instead")->check(CLI::ExistingFile);
  cmd->add_option("--published", published, "publication date the relative dates resolve against (YYYY-MM-DD)");
  cmd->add_flag("--json", json, "print the claims as JSON lines after the trace");
  cmd->callback([] {
    if (text.empty() == file.empty()) {
      std::cerr << "explain: give either a sentence or --file FILE\n";
      globals().exit_code = kUsage;
      return;
    }
    const RuleSet& rs = rules();
    Article a;
    std::string err;
    LoadOptions opt = load_options();
    opt.published = published;
    if (!file.empty()) {
      if (!load_article(file, opt, &a, &err)) {
        std::cerr << file << ": " << err << "\n";
        globals().exit_code = kSomeFailed;
        return;
      }
    } else {
      if (!Document::from_bytes(text, &a.doc, &err)) {
        std::cerr << "explain: " << err << "\n";
        globals().exit_code = kUsage;
        return;
      }
      a.meta.id = "sentence";
      if (!published.empty()) {
        if (!parse_published(published, &a.meta.published, &a.meta.published_minute)) {
          std::cerr << "explain: --published '" << published << "' is not a date (write YYYY-MM-DD)\n";
          globals().exit_code = kUsage;
          return;
        }
        a.meta.published_from = "option";
      }
    }
    Trace tr;
    Extractor ex(rs);
    auto claims = ex.extract(a.doc, a.meta, &tr);
    for (const auto& l : tr.lines) std::cout << l << "\n";
    std::cout << claims.size() << " claim(s)\n";
    if (json)
      for (const auto& c : claims) std::cout << claim_to_json(c).dump() << "\n";
  });
}

}  // namespace claimcheck::cli
