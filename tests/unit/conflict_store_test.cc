// @brief check_database: the stored claims checked subject by subject, conflicts kept by fingerprint.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "core/conflict_store.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using claimcheck::ArticleInfo;
using claimcheck::ArticleRow;
using claimcheck::CheckInput;
using claimcheck::Claim;
using claimcheck::ClaimRef;
using claimcheck::Conflict;
using claimcheck::Store;

namespace {

Claim claim(const std::string& article, long long start, const std::string& subject, double value,
            const std::string& as_of, const std::string& as_of_basis = "publication") {
  Claim c;
  c.article = article;
  c.start = start;
  c.end = start + 20;
  c.quote = subject + " moved " + std::to_string(value);
  c.subject = subject;
  c.metric = "change_pct";
  c.value = value;
  c.lo = value - 0.05;
  c.hi = value + 0.05;
  c.unit = "pct";
  c.qualifier = "exact";
  c.as_of = as_of;
  c.as_of_basis = as_of_basis;
  c.period_start = c.period_end = as_of;
  c.basis = "close";
  c.confidence = 0.9;
  c.rule = "change.verb_pct";
  return c;
}

ArticleRow article(const std::string& ident, const std::string& source) {
  ArticleRow r;
  r.path = "/news/" + ident + ".txt";
  r.ident = ident;
  r.hash = "h-" + ident;
  r.bytes = 100;
  r.source = source;
  r.published = "2024-11-26";
  r.published_from = "sidecar";
  r.language = "en";
  return r;
}

}  // namespace

TEST_CASE("conflicts: the database check equals find_conflicts over every claim at once", "[conflicts]") {
  // Three outlets on five subjects: two subjects disagree (RUT three
  // ways), three agree. The database check reads one subject at a time
  // and keeps only the claims a conflict cites; the result must be the same
  // as checking everything in memory, with every cited claim still readable.
  TempDir t;
  auto s = Store::open(t.path("c.sqlite"), Store::kReadWrite);
  const std::vector<std::string> subjects = {"AAPL", "DJI", "NDX", "RUT", "SPX"};
  std::map<std::string, std::vector<Claim>> by_article;
  for (int a = 0; a < 3; ++a) {
    const std::string id = "art" + std::to_string(a);
    long long pos = 0;
    for (const auto& subj : subjects) {
      double v = 1.0;
      if (subj == "RUT") v = 1.0 + a;          // 1, 2, 3: all disagree
      if (subj == "DJI" && a == 2) v = -0.7;   // one outlet against two
      by_article[id].push_back(claim(id, pos += 40, subj, v, "2024-11-25"));
    }
  }
  // An article whose own context sentence dates its figures.
  by_article["art1"].push_back(claim("art1", 900, "VIX", 15, "2024-11-22", "context"));
  s->begin();
  for (const auto& [id, cs] : by_article) s->put_article(article(id, "Outlet " + id), cs);
  s->commit();

  claimcheck::TradingCalendar cal;
  claimcheck::CheckOptions opt;
  opt.calendar = &cal;
  const claimcheck::CheckSummary sum = claimcheck::check_database(*s, opt);
  CHECK(sum.checked == 16);
  CHECK(sum.conflicts == 2);
  CheckInput in;
  std::vector<Conflict> got = claimcheck::load_conflicts(*s, &in);
  CHECK(in.claims.size() == 6);  // the cited claims: the three of RUT and of DJI

  // The same claims, all in memory.
  std::deque<ArticleInfo> arts;
  std::deque<Claim> all;
  std::vector<ClaimRef> refs;
  for (const auto& [id, cs] : by_article) {
    ArticleInfo info;
    info.id = id;
    info.source = "Outlet " + id;
    info.published = "2024-11-26";
    info.context_as_of = claimcheck::context_as_of(cs);
    arts.push_back(info);
    for (const Claim& c : cs) {
      all.push_back(c);
      refs.push_back({&all.back(), &arts.back()});
    }
  }
  std::stable_sort(refs.begin(), refs.end(), [](const ClaimRef& x, const ClaimRef& y) {
    return x.claim->subject < y.claim->subject;
  });
  std::vector<Conflict> want = claimcheck::find_conflicts(refs, opt);
  REQUIRE(want.size() == 2);  // one conflict per fact: RUT and DJI
  REQUIRE(got.size() == want.size());

  std::multiset<std::string> got_fp, want_fp;
  for (const Conflict& c : want) want_fp.insert(claimcheck::conflict_fingerprint(c));
  for (const Conflict& c : got) {
    got_fp.insert(c.fingerprint);
    CHECK(c.id > 0);
    for (const ClaimRef& r : c.claims) {
      REQUIRE(r.claim != nullptr);
      REQUIRE(r.article != nullptr);
      CHECK(r.claim->subject == c.subject);  // a readable claim of this conflict's subject
      CHECK(r.article->id == r.claim->article);
      CHECK(r.article->source == "Outlet " + r.claim->article);
    }
  }
  CHECK(got_fp == want_fp);

  // The stored claims carry their article's context date.
  size_t dated = 0;
  for (const ArticleInfo& a : in.articles)
    if (a.id == "art1") { CHECK(a.context_as_of == "2024-11-22"); ++dated; }
  CHECK(dated == 2);  // art1 is cited by both conflicts

  // A second check keeps every id.
  std::map<std::string, long long> ids;
  for (const Conflict& c : got) ids[c.fingerprint] = c.id;
  CHECK(claimcheck::check_database(*s, opt).conflicts == 2);
  CheckInput again;
  for (const Conflict& c : claimcheck::load_conflicts(*s, &again)) CHECK(ids[c.fingerprint] == c.id);
  CHECK(s->count("conflicts") == 2);
}

TEST_CASE("conflicts: the database check gives the same rows on one thread or many", "[conflicts]") {
  // Enough subjects that several are in flight at once: every fourth
  // disagrees between the two outlets.
  auto fill = [](Store& s) {
    std::map<std::string, std::vector<Claim>> by_article;
    for (int k = 0; k < 400; ++k) {
      const std::string subj = "S" + std::to_string(1000 + k);
      for (int a = 0; a < 2; ++a) {
        const std::string id = "art" + std::to_string(a);
        const double v = (k % 4 == 0 && a == 1) ? 2.5 + k : 1.0 + k;
        by_article[id].push_back(claim(id, 40 * k, subj, v, "2024-11-25"));
      }
    }
    s.begin();
    for (const auto& [id, cs] : by_article) s.put_article(article(id, "Outlet " + id), cs);
    s.commit();
  };
  claimcheck::TradingCalendar cal;
  claimcheck::CheckOptions opt;
  opt.calendar = &cal;
  TempDir t;
  std::vector<std::vector<std::string>> rows;
  for (int threads : {1, 4}) {
    auto s = Store::open(t.path("t" + std::to_string(threads) + ".sqlite"), Store::kReadWrite);
    fill(*s);
    const claimcheck::CheckSummary sum = claimcheck::check_database(*s, opt, threads);
    CHECK(sum.conflicts == 100);
    CHECK(sum.checked == 800);
    std::vector<std::string> r;
    SQLite::Statement q(s->db(), "SELECT id, fingerprint, kind, severity, subject, explanation, claims FROM conflicts ORDER BY id");
    while (q.executeStep()) {
      std::string row;
      for (int i = 0; i < 7; ++i) row += q.getColumn(i).getString() + "|";
      r.push_back(row);
    }
    CHECK(r.size() == sum.conflicts);
    rows.push_back(r);
    // Read back (in parallel chunks): every conflict with its two claims,
    // high severity first, then by id.
    CheckInput in;
    const std::vector<Conflict> loaded = claimcheck::load_conflicts(*s, &in);
    REQUIRE(loaded.size() == 100);
    for (size_t k = 0; k < loaded.size(); ++k) {
      REQUIRE(loaded[k].claims.size() == 2);
      CHECK(loaded[k].claims[0].claim->subject == loaded[k].subject);
      CHECK(loaded[k].claims[1].article->source == "Outlet " + loaded[k].claims[1].claim->article);
      if (k > 0) {
        const int a = claimcheck::severity_rank(loaded[k - 1].severity), b = claimcheck::severity_rank(loaded[k].severity);
        CHECK((a < b || (a == b && loaded[k - 1].id < loaded[k].id)));
      }
    }
  }
  CHECK(rows[0] == rows[1]);
}

TEST_CASE("conflicts: an incremental check gives the rows of a full one", "[conflicts]") {
  // Forty subjects, four outlets; every fifth subject disagrees. Then one
  // article changes: two subjects move, one of them into agreement and one
  // out of it. The incremental check reads only the subjects marked, and
  // must leave the same conflict rows, ids included, as a full check of the
  // same claims.
  auto claims_of = [](int a, bool changed) {
    std::vector<Claim> cs;
    const std::string id = "art" + std::to_string(a);
    for (int k = 0; k < 40; ++k) {
      const std::string subj = "S" + std::to_string(100 + k);
      double v = 1.0 + k;
      if (k % 5 == 0 && a == 2) v += 3;   // 0, 5, 10...: outlet 2 disagrees
      if (changed && k == 5) v = 1.0 + k;  // ... until it agrees on S105
      if (changed && k == 7) v = 50;       // and now disagrees on S107
      cs.push_back(claim(id, 40 * k, subj, v, "2024-11-25"));
    }
    return cs;
  };
  claimcheck::TradingCalendar cal;
  claimcheck::CheckOptions opt;
  opt.calendar = &cal;
  claimcheck::CheckScope inc;
  inc.signature = "sig-1";
  inc.incremental = true;
  auto rows_of = [](Store& s) {
    std::vector<std::string> r;
    SQLite::Statement q(s.db(), "SELECT id, fingerprint, kind, severity, subject, explanation, claims FROM conflicts ORDER BY id");
    while (q.executeStep()) {
      std::string row;
      for (int i = 0; i < 7; ++i) row += q.getColumn(i).getString() + "|";
      r.push_back(row);
    }
    return r;
  };
  TempDir t;
  std::vector<std::vector<std::string>> rows;
  for (bool incremental : {false, true}) {
    auto s = Store::open(t.path(incremental ? "inc.sqlite" : "full.sqlite"), Store::kReadWrite);
    s->begin();
    for (int a = 0; a < 4; ++a) s->put_article(article("art" + std::to_string(a), "Outlet " + std::to_string(a)), claims_of(a, false));
    s->commit();
    CHECK(s->count("dirty_subjects") == 40);
    // The first check is full whatever is asked: no signature is stored yet.
    const auto first = claimcheck::check_database(*s, opt, 2, inc);
    CHECK(first.full);
    CHECK(first.subjects == 40);
    CHECK(first.conflicts == 8);
    CHECK(s->count("dirty_subjects") == 0);
    CHECK(s->meta("check_signature") == std::optional<std::string>("sig-1"));

    // Art 2 changes: every subject it had or has is marked.
    s->begin();
    ArticleRow changed = article("art2", "Outlet 2");
    changed.hash = "h-art2-v2";
    CHECK(s->put_article(changed, claims_of(2, true)) == Store::Put::kReplaced);
    s->commit();
    CHECK(s->count("dirty_subjects") == 40);  // the old claims' subjects and the new ones'
    s->db().exec("DELETE FROM dirty_subjects WHERE subject NOT IN ('S105', 'S107', 'S110')");
    // (Narrowed by hand to what really changed, plus one that did not: the
    // check must not depend on marking only what changed.)
    claimcheck::CheckSummary sum;
    if (incremental) {
      sum = claimcheck::check_database(*s, opt, 2, inc);
      CHECK_FALSE(sum.full);
      CHECK(sum.subjects == 3);
      CHECK(sum.checked == 3 * 4);
    } else {
      sum = claimcheck::check_database(*s, opt, 2);
      CHECK(sum.full);
      CHECK(sum.subjects == 40);
    }
    CHECK(sum.conflicts == 8);  // S105 agrees now, S107 does not
    // The totals are the database's, checked subjects or not.
    SQLite::Statement by(s->db(), "SELECT severity, COUNT(*) FROM conflicts GROUP BY severity");
    std::map<std::string, size_t> expect;
    while (by.executeStep()) expect[by.getColumn(0).getString()] = static_cast<size_t>(by.getColumn(1).getInt64());
    CHECK(sum.by_severity == expect);
    CHECK(s->count("dirty_subjects") == 0);
    rows.push_back(rows_of(*s));
  }
  CHECK(rows[0] == rows[1]);
  REQUIRE(rows[0].size() == 8);

  // Another signature (a new binary or other rules) checks everything again.
  auto s = Store::open(t.path("inc.sqlite"), Store::kReadWrite);
  claimcheck::CheckScope other = inc;
  other.signature = "sig-2";
  const auto again = claimcheck::check_database(*s, opt, 2, other);
  CHECK(again.full);
  CHECK(again.subjects == 40);
  CHECK(rows_of(*s) == rows[1]);
  // Same signature, nothing marked: nothing read, nothing changed.
  const auto idle = claimcheck::check_database(*s, opt, 2, other);
  CHECK_FALSE(idle.full);
  CHECK(idle.subjects == 0);
  CHECK(idle.checked == 0);
  CHECK(rows_of(*s) == rows[1]);
}
