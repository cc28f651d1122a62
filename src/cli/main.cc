// @brief claimcheck: the command-line front. Each subcommand lives in its own file.
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/common.h"

namespace claimcheck::cli {

Globals& globals() {
  static Globals g;
  return g;
}

const RuleSet& rules() {
  static std::unique_ptr<RuleSet> rs;
  if (!rs) {
    std::vector<std::string> errors;
    rs = RuleSet::load(globals().rules_dir, &errors);
    if (!rs) {
      for (const auto& e : errors) std::cerr << "claimcheck: " << e << "\n";
      std::cerr << "claimcheck: " << errors.size() << " problem(s) in the rules; fix them (or point --rules at another folder)\n";
      std::exit(kBadRules);
    }
  }
  return *rs;
}

double cpu_seconds() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

BenchText::BenchText(const std::string& kind, const std::string& corpus_dir) {
  namespace fs = std::filesystem;
  describe_ = "templated text (a few sentence patterns, repeated)";
  if (kind != "fresh") return;
  const std::string dir = corpus_dir.empty() ? (fs::path(globals().rules_dir) / ".." / "corpus").lexically_normal().string() : corpus_dir;
  std::vector<std::string> texts;
  size_t bytes = 0;
  for (const std::string& path : expand_inputs({dir})) {
    std::ifstream in(path, std::ios::binary);
    std::string t((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bytes += t.size();
    if (in.good() || in.eof()) texts.push_back(std::move(t));
  }
  if (texts.empty()) {
    std::cerr << "claimcheck: no articles in " << dir << " to model fresh text on; using templated text (give --corpus DIR)\n";
    return;
  }
  model_ = std::make_unique<MarkovText>(texts);
  describe_ = "fresh text (word trigrams of the " + std::to_string(texts.size()) + " articles in " + dir + ")";
}

std::string BenchText::article(std::mt19937_64& rng, size_t bytes, std::string* published) const {
  if (!model_) return synthetic_article(rng, bytes, published);
  *published = Date::from_ymd(2024, std::uniform_int_distribution<int>(1, 12)(rng), std::uniform_int_distribution<int>(1, 28)(rng)).iso();
  return model_->article(rng, bytes);
}

LoadOptions load_options() {
  LoadOptions o;
  o.max_bytes = static_cast<uint64_t>(globals().max_size_mb * 1024 * 1024);
  return o;
}

std::vector<std::string> expand_inputs(const std::vector<std::string>& args) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const auto& a : args) {
    std::error_code ec;
    if (a != "-" && fs::is_directory(a, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(a, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".txt") found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(a);
    }
  }
  return out;
}

}  // namespace claimcheck::cli

int main(int argc, char** argv) {
  using namespace claimcheck::cli;
  CLI::App app{
      "claimcheck: finds the numeric claims in financial news, stores them with provenance and\n"
      "reports where sources disagree.\n\n"
      "  claimcheck extract corpus/*.txt          claims as JSON lines\n"
      "  claimcheck explain \"The Dow fell 1.2% on Monday.\" --published 2024-11-26\n"
      "  claimcheck eval --gold corpus/gold corpus\n"
      "  claimcheck ingest corpus                 store them in db/claims.sqlite (again: only changes)\n"
      "  claimcheck query facts                   what the stored claims say, fact by fact\n\n"
      "Exit codes: 0 ok; 1 some input files failed (the others were processed);\n"
      "2 bad command line; 3 malformed rule file (file:line printed); 4 a required\n"
      "figure was not reached (eval --require); 5 database error."};
  app.set_version_flag("--version", std::string("claimcheck ") + CLAIMCHECK_VERSION);
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();
  app.add_option("--rules", globals().rules_dir, "folder of rules (tables, fragments, rule files, calendar)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--max-size", globals().max_size_mb, "refuse article files larger than this many MB");
  app.add_flag("-q,--quiet", globals().quiet, "print only errors");
  add_extract(app);
  add_explain(app);
  add_eval(app);
  add_bench(app);
  add_rules(app);
  add_ingest(app);
  add_bench_ingest(app);
  add_query(app);
  add_load(app);
  add_check(app);
  add_report(app);
  add_review(app);
  add_bench_check(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kUsage;
  }
  return globals().exit_code;
}
