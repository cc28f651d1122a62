// @brief `claimcheck report` and `claimcheck review`: the editor's side of the database.
#include <fstream>
#include <iostream>

#include "cli/common.h"
#include "cli/db_util.h"
#include "core/conflict_store.h"
#include "core/report.h"

namespace claimcheck::cli {

void add_report(CLI::App& app) {
  auto* cmd = app.add_subcommand("report",
                                 "Show the conflicts the last check stored in the database: a summary by severity and\n"
                                 "kind, then per conflict the fact, each source's sentence with the number marked,\n"
                                 "outlet, publication date, as_of, the explanation, the suggestion and the review\n"
                                 "status. Dismissed conflicts are left out unless --status asks for them. HTML is one\n"
                                 "self-contained file with filters by severity, kind and subject.\n"
                                 "  claimcheck report                              text on the terminal\n"
                                 "  claimcheck report --format html --out report.html\n"
                                 "  claimcheck report --status dismissed --subject RUT --format json");
  static std::string db = kDefaultDb, format, out, status = "open,confirmed", subject;
  cmd->add_option("--db", db, "database file");
  cmd->add_option("--format", format, "text (default on a terminal), md, json or html")
      ->check(CLI::IsMember({"text", "md", "json", "html"}));
  cmd->add_option("--out", out, "write to this file instead of standard output");
  cmd->add_option("--status", status, "statuses to show, comma-separated (open, confirmed, dismissed, all)");
  cmd->add_option("--subject", subject, "only conflicts about this subject (RUT, SPX, ...)");
  cmd->callback([] {
    std::unique_ptr<Store> store;
    try {
      store = Store::open(db, Store::kReadOnly);
    } catch (const std::exception& e) {
      report_db_error(db, e.what());
      globals().exit_code = kDatabase;
      return;
    }
    CheckInput in;
    std::vector<Conflict> shown;
    for (Conflict& c : load_conflicts(*store, &in)) {
      if (status != "all" && ("," + status + ",").find("," + c.status + ",") == std::string::npos) continue;
      if (!subject.empty() && c.subject != subject) continue;
      shown.push_back(std::move(c));
    }
    ReportOptions ro;
    ro.inputs = db;
    const std::string fmt = format.empty() ? "text" : format;
    const std::string text = render_report(shown, fmt, ro);
    if (out.empty()) {
      std::cout << text;
    } else {
      std::ofstream f(out, std::ios::binary | std::ios::trunc);
      f << text;
      if (!f) {
        std::cerr << "claimcheck: " << out << ": cannot write the report (check the folder and permissions)\n";
        globals().exit_code = kUsage;
        return;
      }
      if (!globals().quiet) std::cerr << "report: " << shown.size() << " conflict(s) written to " << out << "\n";
    }
  });
}

void add_review(CLI::App& app) {
  auto* cmd = app.add_subcommand("review",
                                 "Record an editor's decision on a conflict (its id is in the report). The decision\n"
                                 "is kept with the conflict's fingerprint, so it survives re-ingest and re-check\n"
                                 "while the same claims disagree the same way; a dismissed conflict stays out of the\n"
                                 "default report.\n"
                                 "  claimcheck review 3 --status dismissed --note \"different sessions, not an error\"");
  static long long id = 0;
  static std::string db = kDefaultDb, status, note;
  cmd->add_option("id", id, "conflict id from the report")->required();
  cmd->add_option("--status", status, "confirmed, dismissed, or open (undo)")
      ->required()
      ->check(CLI::IsMember({"open", "confirmed", "dismissed"}));
  cmd->add_option("--note", note, "why (shown in the report)");
  cmd->add_option("--db", db, "database file");
  cmd->callback([] {
    try {
      auto store = Store::open(db, Store::kReadWrite);
      if (!set_review(*store, id, status, note)) {
        std::cerr << "review: no conflict " << id << " in " << db << " (see `claimcheck report` for the ids)\n";
        globals().exit_code = kUsage;
        return;
      }
      if (!globals().quiet) std::cerr << "review: conflict " << id << " is " << status << "\n";
    } catch (const std::exception& e) {
      report_db_error(db, e.what());
      globals().exit_code = kDatabase;
    }
  });
}

}  // namespace claimcheck::cli
