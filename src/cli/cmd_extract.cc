// @brief `claimcheck extract FILE...`: claim records as JSON lines on stdout.
#include <iostream>

#include "cli/common.h"
#include "core/jsonl.h"

namespace claimcheck::cli {

void add_extract(CLI::App& app) {
  auto* cmd = app.add_subcommand("extract",
                                 "Print every numeric claim of the given articles as JSON lines (one claim record\n"
                                 "per line, fields as in docs/claims-format.md). FILE may be a folder (its .txt\n"
                                 "files, recursively) or - for standard input. Offsets are bytes of the file as\n"
                                 "read from disk. A file that cannot be read is reported on stderr as\n"
                                 "'PATH: reason' and the others are still processed (exit code 1).");
  static std::vector<std::string> files;
  static std::string published;
  cmd->add_option("files", files, "article files or folders; - reads standard input")->required();
  cmd->add_option("--published", published,
                  "publication date (YYYY-MM-DD or YYYY-MM-DDTHH:MM) for stdin or to override sidecars");
  cmd->callback([] {
    const RuleSet& rs = rules();
    Extractor ex(rs);
    LoadOptions opt = load_options();
    opt.published = published;
    int failed = 0;
    std::ios::sync_with_stdio(false);
    for (const auto& path : expand_inputs(files)) {
      Article a;
      std::string err;
      if (!load_article(path, opt, &a, &err)) {
        std::cerr << path << ": " << err << "\n";
        ++failed;
        continue;
      }
      if (!a.warning.empty() && !globals().quiet) std::cerr << path << ": warning: " << a.warning << "\n";
      if (a.meta.published.empty() && !globals().quiet)
        std::cerr << path << ": warning: no publication date (no sidecar, front matter or dateline); relative dates are flagged as_of_uncertain\n";
      std::string lines;
      for (const Claim& c : ex.extract(a.doc, a.meta)) {
        append_claim_json(&lines, c);
        lines.push_back('\n');
      }
      std::cout << lines;
    }
    std::cout.flush();
    globals().exit_code = failed ? kSomeFailed : kOk;
  });
}

}  // namespace claimcheck::cli
