// @brief `claimcheck ingest PATH...`: extract and store claims in the database.
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <map>

#include "core/conflict_store.h"

#include "cli/common.h"
#include "cli/db_util.h"
#include "core/ingest.h"

namespace claimcheck::cli {

namespace {

std::string mmss(double s) {
  if (s < 0 || s > 1e7) return "?";
  long t = static_cast<long>(s + 0.5);
  char buf[32];
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
  return buf;
}

}  // namespace

void add_ingest(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "ingest",
      "Extract the claims of every article under PATH (folders recursively: .txt files and their\n"
      "NAME.meta.json sidecars) and store them in the database. Run it again at will: an unchanged\n"
      "file (same bytes, same sidecar) is skipped, a changed one has its claims replaced, a file\n"
      "gone from a walked folder is reported (and deleted with --prune). Extraction runs on all\n"
      "cores; one transaction per batch of articles, so an interrupted run never leaves half an\n"
      "article. Then the cross-check, of the subjects whose claims changed since the last check\n"
      "(all of them after a new claimcheck or a rules change; `claimcheck check` checks all).\n"
      "A file that cannot be read is reported as 'PATH: reason' (exit code 1); a database\n"
      "problem stops with one line naming it (exit code 5).\n"
      "  claimcheck ingest corpus --db db/claims.sqlite");
  static std::vector<std::string> paths;
  static std::string db = kDefaultDb;
  static int threads = 0;
  static int batch = static_cast<int>(IngestOptions{}.batch);
  static double busy = 30;
  static bool prune = false, force = false, json = false, quiet = false, no_check = false;
  cmd->add_option("paths", paths, "article files or folders")->required();
  cmd->add_option("--db", db, "database file (created with its folder if missing)");
  cmd->add_option("--threads", threads, "extraction threads, and cross-check threads at the end (0 = all cores)")
      ->check(CLI::Range(0, 256));
  cmd->add_option("--batch", batch, "articles per transaction")->check(CLI::Range(1, 100000));
  cmd->add_option("--busy-timeout", busy, "seconds to wait for another program's lock on the database")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_flag("--prune", prune, "delete the articles whose file is gone from a walked folder");
  cmd->add_flag("--force", force, "extract unchanged files again (after a rules change)");
  cmd->add_flag("--json", json, "print the summary as one JSON object on stdout");
  static double max_mb = 0;
  cmd->add_option("--db-max-mb", max_mb, "never let the database grow past this many MB (0: no cap); "
                                         "past it the batch stops as on a full disk, nothing half-written");
  cmd->add_flag("--no-check", no_check, "do not run the cross-check afterwards (claimcheck check does it)");
  cmd->add_flag("-q,--quiet", quiet, "print only errors (same as the global -q)");
  cmd->callback([] {
    quiet = quiet || globals().quiet;
    const RuleSet& rs = rules();
    if (!make_db_folder(db)) {
      globals().exit_code = kDatabase;
      return;
    }
    const bool tty = stderr_is_terminal() && !quiet;
    bool line_shown = false;
    auto clear_line = [&] {
      if (line_shown) std::cerr << "\r\033[K" << std::flush;
      line_shown = false;
    };
    IngestOptions opt;
    opt.threads = threads;
    opt.batch = static_cast<size_t>(batch);
    opt.prune = prune;
    opt.force = force;
    opt.load = load_options();
    IngestEvents ev;
    ev.failed = [&](const std::string& path, const std::string& reason) {
      clear_line();
      std::cerr << path << ": " << reason << "\n";
    };
    ev.warning = [&](const std::string& path, const std::string& w) {
      if (quiet) return;
      clear_line();
      std::cerr << path << ": warning: " << w << "\n";
    };
    ev.missing = [&](const std::string& path, bool pruned) {
      if (quiet) return;
      clear_line();
      std::cerr << path << (pruned ? ": gone from disk; deleted from the database (--prune)\n"
                                   : ": gone from disk; its claims stay in the database (--prune deletes them)\n");
    };
    if (tty)
      ev.progress = [&](const IngestProgress& p) {
        double mb = p.bytes_done / 1048576.0;
        double rate = p.seconds > 0 ? mb / p.seconds : 0;
        double eta = rate > 0 ? (p.bytes_total - p.bytes_done) / 1048576.0 / rate : -1;
        std::ostringstream o;
        o << std::fixed << std::setprecision(1) << "ingest: " << p.done << "/" << p.total << " files, " << mb << " MB, "
          << rate << " MB/s, ETA " << mmss(eta);
        std::cerr << "\r\033[K" << o.str() << std::flush;
        line_shown = true;
      };
    IngestSummary s;
    CheckSummary check;
    try {
      auto store = Store::open(db, Store::kReadWrite, static_cast<int>(busy * 1000));
      if (max_mb > 0) {
        const long long page = store->db().execAndGet("PRAGMA page_size").getInt64();
        store->db().exec("PRAGMA max_page_count = " + std::to_string(static_cast<long long>(max_mb * 1048576 / page)));
      }
      s = ingest(paths, rs, *store, opt, ev);
      // The cross-check of everything stored, so the report is current.
      if (!no_check) {
        CheckOptions co;
        co.calendar = &rs.calendar();
        CheckScope scope;
        scope.signature = check_signature(globals().rules_dir);
        scope.incremental = true;
        check = check_database(*store, co, threads, scope);
      }
    } catch (const std::exception& e) {
      clear_line();
      report_db_error(db, e.what());
      globals().exit_code = kDatabase;
      return;
    }
    clear_line();
    double mbps = s.seconds > 0 ? s.bytes / 1048576.0 / s.seconds : 0;
    if (json) {
      nlohmann::ordered_json j;
      j["db"] = db;
      j["files"] = s.files;
      j["read"] = s.files - s.failed;
      j["new"] = s.inserted;
      j["changed"] = s.replaced;
      j["unchanged"] = s.unchanged;
      j["failed"] = s.failed;
      j["claims"] = s.claims;
      j["missing"] = s.missing;
      j["pruned"] = s.pruned;
      j["bytes"] = s.bytes;
      j["seconds"] = std::round(s.seconds * 1000) / 1000;
      j["mb_per_s"] = std::round(mbps * 100) / 100;
      if (!no_check) {
        nlohmann::ordered_json by;
        for (const char* sev : {"high", "medium", "low"}) by[sev] = check.by_severity[sev];
        j["conflicts"] = by;
        j["subjects_checked"] = check.subjects;
        j["check"] = check.full ? "full" : "changed subjects";
      }
      std::cout << j.dump() << "\n";
    } else if (!quiet) {
      std::cout << std::fixed << std::setprecision(1) << "ingest: " << s.files << " files: " << s.files - s.failed
                << " read (" << s.inserted << " new, " << s.replaced << " changed, " << s.unchanged
                << " skipped unchanged), " << s.failed << " failed; " << s.claims << " claims stored";
      if (s.missing) std::cout << "; " << s.missing << " gone from disk" << (prune ? " (deleted)" : " (kept)");
      std::cout << "; " << std::setprecision(2) << s.seconds << " s, " << std::setprecision(1) << mbps
                << " MB/s -> " << db << "\n";
      if (!no_check) {
        auto& by = check.by_severity;
        std::cout << "check: " << check.subjects << (check.full ? " subjects (all)" : " subjects with changed claims")
                  << "; " << check.conflicts << " conflicts in the database (" << by["high"] << " high, "
                  << by["medium"] << " medium, " << by["low"] << " low); see claimcheck report"
                  << (db == kDefaultDb ? std::string() : " --db " + db) << "\n";
      }
    }
    globals().exit_code = s.failed ? kSomeFailed : kOk;
  });
}

}  // namespace claimcheck::cli
