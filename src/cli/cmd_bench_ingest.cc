// @brief `claimcheck bench-ingest`: end-to-end ingest throughput and peak memory.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>

#include "cli/common.h"
#include "cli/db_util.h"
#include "core/conflict_store.h"
#include "core/ingest.h"
#include "core/synthetic.h"

namespace claimcheck::cli {

namespace fs = std::filesystem;

namespace {

double peak_rss_mb() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;  // Linux: kilobytes
}

// Writes articles (and sidecars) of about `size` bytes until `mb` MB are on disk.
bool generate(const BenchText& gen, const fs::path& dir, double mb, size_t size, unsigned seed, size_t* files, uint64_t* bytes) {
  std::mt19937_64 rng(seed);
  *files = 0;
  *bytes = 0;
  while (*bytes < mb * 1048576) {
    fs::path sub = dir / (std::to_string(*files / 1000));
    if (*files % 1000 == 0) fs::create_directories(sub);
    std::string pub;
    std::string text = gen.article(rng, size, &pub);
    char name[32];
    std::snprintf(name, sizeof name, "a%06zu", *files);
    std::ofstream out(sub / (std::string(name) + ".txt"), std::ios::binary);
    out << text;
    std::ofstream meta(sub / (std::string(name) + ".meta.json"), std::ios::binary);
    meta << "{\"published\": \"" << pub << "\", \"source\": \"source" << *files % 7 << "\"}\n";
    if (!out || !meta) return false;
    *bytes += text.size();
    ++*files;
  }
  return true;
}

}  // namespace

void add_bench_ingest(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "bench-ingest",
      "Measure ingest end to end: generate a corpus of market-news articles on disk (with sidecars),\n"
      "ingest it into a fresh database and run the cross-check that `ingest` runs at its end (skip\n"
      "it with --no-check), print MB/s and peak memory (ru_maxrss) of each part and of the whole.\n"
      "The corpus and database go to a temporary folder, removed afterwards unless --dir is given.\n"
      "  claimcheck bench-ingest --mb 100 --threads 2\n"
      "  claimcheck bench-ingest --mb 1 --dir /tmp/corpus --generate-only   (a corpus for tests)");
  static double mb = 100;
  static int threads = 2;
  static size_t size = 8192;
  static unsigned seed = 7;
  static std::string dir, text = "fresh", corpus;
  static bool generate_only = false, quiet = false, no_check = false;
  cmd->add_option("--mb", mb, "size of the generated corpus in MB")->check(CLI::Range(0.01, 65536.0));
  cmd->add_option("--threads", threads, "extraction threads")->check(CLI::Range(1, 256));
  cmd->add_option("--article-size", size, "bytes per article, roughly")->check(CLI::Range(200, 1 << 24));
  cmd->add_option("--seed", seed, "generator seed");
  cmd->add_option("--text", text, "fresh: new prose from a trigram model of --corpus (realistic); templates: a few\n"
                                  "repeated sentence patterns (optimistic)")->check(CLI::IsMember({"fresh", "templates"}));
  cmd->add_option("--corpus", corpus, "articles the fresh text is modelled on (default: corpus/ beside the rules)");
  cmd->add_option("--dir", dir, "generate here (kept) instead of a temporary folder");
  cmd->add_flag("-q,--quiet", quiet, "print only errors and the result line");
  cmd->add_flag("--generate-only", generate_only, "write the corpus and stop (needs --dir)");
  cmd->add_flag("--no-check", no_check, "measure the ingest alone, as `ingest --no-check`");
  cmd->callback([] {
    if (generate_only && dir.empty()) {
      std::cerr << "claimcheck: bench-ingest: --generate-only needs --dir\n";
      globals().exit_code = kUsage;
      return;
    }
    const bool temp = dir.empty();
    fs::path root = temp ? fs::temp_directory_path() / ("claimcheck-bench-" + std::to_string(::getpid())) : fs::path(dir);
    fs::path out_dir = root / "corpus";
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    const BenchText gen(text, corpus);
    size_t files = 0;
    uint64_t bytes = 0;
    auto g0 = std::chrono::steady_clock::now();
    if (ec || !generate(gen, out_dir, mb, size, seed, &files, &bytes)) {
      std::cerr << "claimcheck: bench-ingest: cannot write the corpus under " << out_dir.string() << "\n";
      globals().exit_code = kSomeFailed;
      return;
    }
    double gen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
    if (!globals().quiet && !quiet)
      std::cerr << std::fixed << std::setprecision(1) << "bench-ingest: generated " << files << " articles, "
                << bytes / 1048576.0 << " MB of " << gen.describe() << " in " << out_dir.string() << " (" << gen_s << " s)\n";
    if (generate_only) return;
    const RuleSet& rs = rules();
    std::string db = (root / "bench.sqlite").string();
    fs::remove(db, ec);
    IngestOptions opt;
    opt.threads = threads;
    opt.load = load_options();
    IngestEvents ev;
    ev.failed = [](const std::string& p, const std::string& r) { std::cerr << p << ": " << r << "\n"; };
    IngestSummary s;
    const double cpu0 = cpu_seconds();
    double ingest_cpu = 0, ingest_rss = 0, ingest_db_mb = 0, check_s = 0;
    size_t conflicts = 0;
    try {
      auto store = Store::open(db, Store::kReadWrite);
      s = ingest({out_dir.string()}, rs, *store, opt, ev);
      ingest_cpu = cpu_seconds() - cpu0;
      ingest_rss = peak_rss_mb();
      ingest_db_mb = static_cast<double>(fs::file_size(db, ec)) / 1048576.0;
      if (!no_check) {
        const auto c0 = std::chrono::steady_clock::now();
        CheckOptions co;
        co.calendar = &rs.calendar();
        conflicts = check_database(*store, co, threads).conflicts;
        check_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
      }
    } catch (const DbError& e) {
      report_db_error(db, e.what());
      globals().exit_code = kDatabase;
      return;
    }
    const double cpu = cpu_seconds() - cpu0;
    const double in_mb = s.bytes / 1048576.0;
    const double db_mb = static_cast<double>(fs::file_size(db, ec)) / 1048576.0;
    std::cout << std::fixed << std::setprecision(1) << "bench-ingest: " << s.files << " articles, " << in_mb << " MB, "
              << s.claims << " claims stored in " << std::setprecision(2) << s.seconds << " s on " << threads
              << " thread(s): " << std::setprecision(1) << in_mb / s.seconds << " MB/s; peak RSS " << ingest_rss
              << " MB; database " << ingest_db_mb << " MB\n";
    if (!no_check)
      std::cout << std::fixed << "cross-check: " << conflicts << " conflicts in " << std::setprecision(2) << check_s
                << " s; end to end " << std::setprecision(1) << in_mb / (s.seconds + check_s)
                << " MB/s (ingest + cross-check), peak RSS " << peak_rss_mb() << " MB; database with the conflicts "
                << db_mb << " MB\n";
    std::cout << std::fixed << "cpu: " << std::setprecision(2) << ingest_cpu << " s for the ingest, " << cpu
              << " s in all; " << std::setprecision(1) << in_mb / cpu << " MB per CPU-second end to end\n";
    if (temp) fs::remove_all(root, ec);
    globals().exit_code = s.failed ? kSomeFailed : kOk;
  });
}

}  // namespace claimcheck::cli
