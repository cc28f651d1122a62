// @brief `claimcheck load FILE.jsonl`: store claim records that `extract` printed elsewhere.
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "cli/db_util.h"
#include "core/ingest.h"

namespace claimcheck::cli {

void add_load(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "load",
      "Store claim records from JSON lines (as `claimcheck extract` prints them) in the database.\n"
      "One article row per distinct \"article\" id (path = the id); loading the same lines again\n"
      "changes nothing, changed lines replace that article's claims. A line that is not a valid\n"
      "claim record is reported as 'FILE:LINE: reason' and skipped (exit code 1).\n"
      "  claimcheck extract corpus > claims.jsonl && claimcheck load claims.jsonl");
  static std::string file;
  static std::string db = kDefaultDb;
  static double busy = 30;
  static bool json = false, quiet = false;
  cmd->add_option("file", file, "JSON lines file of claim records")->required();
  cmd->add_option("--db", db, "database file (created with its folder if missing)");
  cmd->add_option("--busy-timeout", busy, "seconds to wait for another program's lock on the database")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_flag("--json", json, "print the summary as one JSON object on stdout");
  cmd->add_flag("-q,--quiet", quiet, "print only errors (same as the global -q)");
  cmd->callback([] {
    quiet = quiet || globals().quiet;
    if (!make_db_folder(db)) {
      globals().exit_code = kDatabase;
      return;
    }
    LoadSummary s;
    std::string err;
    bool ok;
    try {
      auto store = Store::open(db, Store::kReadWrite, static_cast<int>(busy * 1000));
      ok = load_claims(file, *store,
                       [](size_t line, const std::string& reason) { std::cerr << file << ":" << line << ": " << reason << "\n"; },
                       &s, &err);
    } catch (const DbError& e) {
      report_db_error(db, e.what());
      globals().exit_code = kDatabase;
      return;
    }
    if (!ok) {
      std::cerr << file << ": " << err << "\n";
      globals().exit_code = kSomeFailed;
      return;
    }
    if (json) {
      nlohmann::ordered_json j;
      j["db"] = db;
      j["lines"] = s.lines;
      j["bad"] = s.bad;
      j["new"] = s.inserted;
      j["changed"] = s.replaced;
      j["unchanged"] = s.unchanged;
      j["claims"] = s.claims;
      j["seconds"] = s.seconds;
      std::cout << j.dump() << "\n";
    } else if (!quiet) {
      std::cout << "load: " << s.lines << " lines, " << s.bad << " bad; articles: " << s.inserted << " new, "
                << s.replaced << " changed, " << s.unchanged << " unchanged; " << s.claims << " claims stored; "
                << std::fixed << std::setprecision(2) << s.seconds << " s -> " << db << "\n";
    }
    globals().exit_code = s.bad ? kSomeFailed : kOk;
  });
}

}  // namespace claimcheck::cli
