// @brief What every subcommand shares: options, rule loading, exit codes, file walking.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/article.h"
#include "core/ruleset.h"
#include "core/synthetic.h"

namespace claimcheck::cli {

// Exit codes, documented in `claimcheck --help`.
enum Exit : int {
  kOk = 0,
  kSomeFailed = 1,   // some input files could not be read; the rest were processed
  kUsage = 2,        // bad command line
  kBadRules = 3,     // a rule file is malformed (file:line printed)
  kBelowTarget = 4,  // eval/check: a required figure was not reached
  kDatabase = 5,     // the database cannot be opened or written
};

struct Globals {
  std::string rules_dir = CLAIMCHECK_DEFAULT_RULES;
  bool quiet = false;
  double max_size_mb = 32;
  int exit_code = 0;  // set by the subcommand's callback
};
Globals& globals();

// Loads rules once; on failure prints every error and exits kBadRules.
const RuleSet& rules();
LoadOptions load_options();

// Expands FILE/DIR arguments into article paths (.txt; folders recursively,
// sorted). Missing paths are returned too so that the caller reports them.
std::vector<std::string> expand_inputs(const std::vector<std::string>& args);

// The text the benchmarks generate. "fresh" (the default): a trigram model of
// the articles in `corpus_dir` (default: corpus/ beside the rules folder), so
// the engine meets word sequences it has not seen, as on a day's news;
// "templates": a few fixed sentence templates (optimistic: repeated text
// keeps the regex automata warm). Falls back to templates, saying so, when the
// corpus folder has no articles.
class BenchText {
 public:
  BenchText(const std::string& kind, const std::string& corpus_dir);
  std::string article(std::mt19937_64& rng, size_t bytes, std::string* published) const;
  const std::string& describe() const { return describe_; }

 private:
  std::unique_ptr<MarkovText> model_;
  std::string describe_;
};

// User plus system CPU seconds this process has used so far (getrusage). The
// benches print MB per CPU-second beside MB/s: wall time moves with whatever
// else the machine runs, CPU time much less.
double cpu_seconds();

void add_extract(CLI::App& app);
void add_explain(CLI::App& app);
void add_eval(CLI::App& app);
void add_bench(CLI::App& app);
void add_rules(CLI::App& app);
void add_ingest(CLI::App& app);
void add_bench_ingest(CLI::App& app);
void add_query(CLI::App& app);
void add_load(CLI::App& app);
void add_check(CLI::App& app);
void add_report(CLI::App& app);
void add_review(CLI::App& app);
void add_bench_check(CLI::App& app);

}  // namespace claimcheck::cli
