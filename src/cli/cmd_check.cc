// @brief `claimcheck check [FILES_OR_DIRS...]`: the cross-check of the database, or of articles in memory.
#include <deque>
#include <fstream>
#include <iostream>

#include "cli/common.h"
#include "cli/db_util.h"
#include "core/conflict_store.h"
#include "core/crosscheck.h"
#include "core/report.h"

namespace claimcheck::cli {

namespace {

std::string format = "text", out, fail_on, subject, kind;

// Prints (or writes) the report and sets the exit code: 1 when inputs failed,
// 4 when --fail-on finds open conflicts at or above that severity.
void finish(const std::vector<Conflict>& shown, const ReportOptions& ro, int failed);

}  // namespace

void add_check(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "check",
      "Report where sources disagree: the same fact with incompatible values or dates, garbled\n"
      "translations, and figures that differ only because they are dated differently\n"
      "(timing_explained, severity low). Without files it checks the database (--db; ingest\n"
      "does this at its end), stores the conflicts with stable ids and keeps the editors'\n"
      "reviews; with files it extracts them in memory and stores nothing.\n"
      "  claimcheck check                           the database: db/claims.sqlite\n"
      "  claimcheck check corpus --format html --out report.html\n"
      "  claimcheck check ../shared/seeds --format json\n"
      "  claimcheck check corpus --fail-on high     exit 4 when an open high conflict remains");
  static std::vector<std::string> inputs;
  static std::string db = kDefaultDb;
  cmd->add_option("inputs", inputs, "article files or folders (.txt with .meta.json sidecars); none: the database");
  cmd->add_option("--db", db, "database to check when no files are given");
  cmd->add_option("--format", format, "report format")->check(CLI::IsMember({"text", "md", "json", "html"}));
  cmd->add_option("--out", out, "write the report to FILE instead of standard output");
  cmd->add_option("--fail-on", fail_on, "exit 4 when open conflicts at or above this severity remain")
      ->check(CLI::IsMember({"high", "medium"}));
  cmd->add_option("--subject", subject, "report only conflicts about this subject (e.g. RUT)");
  cmd->add_option("--kind", kind, "report only this kind")
      ->check(CLI::IsMember({"value_mismatch", "date_mismatch", "mistranslation", "timing_explained"}));
  cmd->callback([] {
    const RuleSet& rs = rules();
    if (inputs.empty()) {
      // The database: check what is stored, keep ids and reviews.
      std::vector<Conflict> all;
      CheckInput in;
      CheckSummary sum;
      try {
        auto store = Store::open(db, Store::kReadWrite);
        CheckOptions opt;
        opt.calendar = &rs.calendar();
        CheckScope scope;  // every subject; the signature lets the next ingest check only what changed
        scope.signature = check_signature(globals().rules_dir);
        sum = check_database(*store, opt, 0, scope);
        all = load_conflicts(*store, &in);
      } catch (const std::exception& e) {
        report_db_error(db, e.what());
        globals().exit_code = kDatabase;
        return;
      }
      std::vector<Conflict> shown;
      for (auto& c : all)
        if (c.status != "dismissed" && (subject.empty() || c.subject == subject) && (kind.empty() || c.kind == kind))
          shown.push_back(std::move(c));
      ReportOptions ro;
      ro.inputs = db + " (" + std::to_string(sum.checked) + " claims)";
      finish(shown, ro, 0);
      return;
    }
    Extractor ex(rs);
    std::deque<ArticleInfo> infos;
    std::deque<std::vector<Claim>> claims;
    std::vector<ClaimRef> refs;
    int failed = 0;
    size_t articles = 0;
    for (const auto& path : expand_inputs(inputs)) {
      Article a;
      std::string err;
      if (!load_article(path, load_options(), &a, &err)) {
        std::cerr << path << ": " << err << "\n";
        ++failed;
        continue;
      }
      ++articles;
      claims.push_back(ex.extract(a.doc, a.meta));
      ArticleInfo info;
      info.id = a.meta.id;
      info.source = a.meta.source;
      info.published = a.meta.published;
      info.published_minute = a.meta.published_minute;
      info.translated = a.meta.translated;
      info.context_as_of = context_as_of(claims.back());
      infos.push_back(std::move(info));
      for (const Claim& c : claims.back()) refs.push_back(ClaimRef{&c, &infos.back()});
    }
    CheckOptions opt;
    opt.calendar = &rs.calendar();
    std::vector<Conflict> all = find_conflicts(refs, opt);
    std::vector<Conflict> shown;
    for (auto& c : all)
      if ((subject.empty() || c.subject == subject) && (kind.empty() || c.kind == kind)) shown.push_back(std::move(c));
    ReportOptions ro;
    ro.inputs = std::to_string(articles) + " article(s), " + std::to_string(refs.size()) + " claim(s) from ";
    for (size_t i = 0; i < inputs.size(); ++i) ro.inputs += (i ? " " : "") + inputs[i];
    finish(shown, ro, failed);
  });
}

namespace {

void finish(const std::vector<Conflict>& shown, const ReportOptions& ro, int failed) {
  std::string text = render_report(shown, format, ro);
  if (out.empty()) {
    std::cout << text;
    std::cout.flush();
  } else {
    std::ofstream f(out, std::ios::binary);
    f << text;
    if (!f) {
      std::cerr << "check: cannot write " << out << "\n";
      globals().exit_code = kSomeFailed;
      return;
    }
    if (!globals().quiet) std::cerr << "check: " << shown.size() << " conflict(s) written to " << out << "\n";
  }
  int code = failed ? kSomeFailed : kOk;
  if (!fail_on.empty()) {
    int limit = severity_rank(fail_on);
    size_t bad = 0;
    for (const auto& c : shown)
      if (c.status == "open" && severity_rank(c.severity) <= limit) ++bad;
    if (bad) {
      std::cerr << "check: " << bad << " open conflict(s) at or above " << fail_on << "\n";
      code = kBelowTarget;
    }
  }
  globals().exit_code = code;
}

}  // namespace

}  // namespace claimcheck::cli
