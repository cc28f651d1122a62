// @brief `claimcheck bench`: extraction throughput on a generated corpus.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <thread>

#include "cli/common.h"
#include "core/synthetic.h"

namespace claimcheck::cli {

void add_bench(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench",
                                 "Measure extraction speed: generate a corpus of market-news articles (deterministic,\n"
                                 "in memory), extract every claim, print MB/s and claims/s. Rules load before the\n"
                                 "clock starts; the clock covers each article from its bytes (UTF-8 check and\n"
                                 "normalization) to its claims. The default text is fresh prose modelled on corpus/\n"
                                 "(see --text).\n"
                                 "  claimcheck bench --mb 32 --threads 1\n"
                                 "  claimcheck bench --mb 32 --text templates\n"
                                 "  claimcheck bench --mb 8 --stages     # where the time goes");
  static double mb = 16;
  static int threads = 1;
  static unsigned seed = 7;
  static std::string text = "fresh", corpus;
  static bool stages = false;
  cmd->add_option("--mb", mb, "size of the generated corpus in MB")->check(CLI::Range(0.1, 4096.0));
  cmd->add_option("--text", text, "fresh: new prose from a trigram model of --corpus (realistic); templates: a few\n"
                                  "repeated sentence patterns (optimistic)")->check(CLI::IsMember({"fresh", "templates"}));
  cmd->add_option("--corpus", corpus, "articles the fresh text is modelled on (default: corpus/ beside the rules)");
  cmd->add_option("--threads", threads, "extraction threads")->check(CLI::Range(1, 256));
  cmd->add_option("--seed", seed, "generator seed");
  cmd->add_flag("--stages", stages, "also print each stage's share of the time (normalization, boilerplate,\n"
                                    "repairs, names, sentences, filters, rule tries, time words, binding); the\n"
                                    "clock reads add about 1%");
  cmd->callback([] {
    const RuleSet& rs = rules();
    const BenchText gen(text, corpus);
    std::mt19937_64 rng(seed);
    struct Item { std::string bytes; ArticleMeta meta; };
    std::vector<Item> items;
    size_t total = 0;
    while (total < mb * 1024 * 1024) {
      Item it;
      std::string pub;
      it.bytes = gen.article(rng, 4096, &pub);
      total += it.bytes.size();
      it.meta.id = "bench" + std::to_string(items.size());
      it.meta.published = pub;
      items.push_back(std::move(it));
    }
    Extractor ex(rs);
    std::vector<size_t> counts(static_cast<size_t>(threads), 0);
    std::vector<StageTimes> times(static_cast<size_t>(threads));
    auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpu_seconds();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        // From the file's bytes: UTF-8 validation and normalization are
        // part of extraction.
        Document doc;
        std::string err;
        StageTimes* st = stages ? &times[static_cast<size_t>(t)] : nullptr;
        for (size_t i = static_cast<size_t>(t); i < items.size(); i += static_cast<size_t>(threads)) {
          const auto n0 = st ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
          const bool ok = Document::from_bytes(items[i].bytes, &doc, &err);
          if (st) st->seconds[StageTimes::kNormalize] += std::chrono::duration<double>(std::chrono::steady_clock::now() - n0).count();
          if (ok) counts[static_cast<size_t>(t)] += ex.extract(doc, items[i].meta, nullptr, st).size();
        }
      });
    for (auto& th : pool) th.join();
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpu_seconds() - cpu0;
    size_t claims = 0;
    for (size_t c : counts) claims += c;
    std::cout << std::fixed << std::setprecision(1) << "extract: " << items.size() << " articles, "
              << total / 1048576.0 << " MB, " << claims << " claims in " << std::setprecision(2) << secs << " s on "
              << threads << " thread(s): " << std::setprecision(1) << total / 1048576.0 / secs << " MB/s, "
              << std::setprecision(0) << claims / secs << " claims/s (" << std::setprecision(1)
              << claims / (total / 1024.0) << " claims per KB; the seed articles have 3)\n"
              << "cpu: " << std::setprecision(2) << cpu << " s, " << std::setprecision(1) << total / 1048576.0 / cpu
              << " MB per CPU-second\n"
              << "text: " << gen.describe() << "\n";
    if (stages) {
      StageTimes all;
      for (const StageTimes& st : times) all.add(st);
      const double sum = all.total();
      std::cout << "stages (seconds summed over threads; share of their sum):\n";
      for (int i = 0; i < StageTimes::kCount; ++i)
        std::cout << "  " << std::left << std::setw(12) << StageTimes::kName[i] << std::right << std::setw(8)
                  << std::setprecision(3) << all.seconds[i] << " s " << std::setw(6) << std::setprecision(1)
                  << (sum > 0 ? 100.0 * all.seconds[i] / sum : 0.0) << "%\n";
    }
  });
}

}  // namespace claimcheck::cli
