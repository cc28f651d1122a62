// @brief The claims database: migrations, schema, puts, error messages.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "temp_dir.h"
#include "core/store.h"

namespace fs = std::filesystem;
using claimcheck::ArticleRow;
using claimcheck::Claim;
using claimcheck::DbError;
using claimcheck::Store;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream o;
  o << in.rdbuf();
  return o.str();
}

Claim full_claim() {
  Claim c;
  c.article = "a1";
  c.start = 4;
  c.end = 52;
  c.quote = "Dow Jones Industrial Average rose 1.2% on Monday";
  c.subject = "DJI";
  c.metric = "change_pct";
  c.value = 1.2;
  c.unit = "pct";
  c.qualifier = "about";
  c.lo = 1.15;
  c.hi = 1.25;
  c.period_start = "2024-11-25";
  c.period_end = "2024-11-26";
  c.as_of = "2024-11-25";
  c.as_of_basis = "sentence";
  c.basis = "close";
  c.event_date = "2021-11-08";
  c.record = true;
  c.confidence = 0.86;
  c.rule = "change.verb_pct";
  c.flags = {"garbled_date", "as_of_uncertain"};
  c.alt_event_date = "2021-01-08";
  c.alt_value = 12.5;
  c.text = "1.2%";
  c.time_rules = {"day.weekday"};
  return c;
}

ArticleRow row(const std::string& path, const std::string& hash) {
  ArticleRow r;
  r.path = path;
  r.ident = fs::path(path).stem().string();
  r.hash = hash;
  r.bytes = 100;
  r.source = "wire";
  r.published = "2024-11-26";
  r.published_from = "sidecar";
  r.language = "de";
  r.translated = true;
  return r;
}

std::vector<long long> claim_ids(Store& s, const std::string& path) {
  SQLite::Statement q(s.db(), "SELECT c.id FROM claims c JOIN articles a ON a.id = c.article_id WHERE a.path = ? ORDER BY c.id");
  q.bind(1, path);
  std::vector<long long> ids;
  while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
  return ids;
}

}  // namespace

TEST_CASE("store: the compiled-in migrations equal db/migrations/*.sql", "[store]") {
  fs::path dir = fs::path(CLAIMCHECK_SOURCE_DIR) / "db" / "migrations";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".sql") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  const auto& m = claimcheck::migrations();
  REQUIRE(files.size() == m.size());
  for (size_t i = 0; i < m.size(); ++i) {
    INFO(files[i].string());
    CHECK(files[i].filename().string() == m[i].name);
    CHECK(m[i].version == static_cast<int>(i + 1));
    CHECK(std::stoi(m[i].name.substr(0, 4)) == m[i].version);
    CHECK(slurp(files[i]) == m[i].sql);
  }
  CHECK(claimcheck::latest_schema_version() == static_cast<int>(m.size()));
}

TEST_CASE("store: FNV-1a 64 matches the reference vectors", "[store]") {
  claimcheck::Fnv1a64 h;
  CHECK(h.hex() == "cbf29ce484222325");
  h.update("a");
  CHECK(h.hex() == "af63dc4c8601ec8c");
  claimcheck::Fnv1a64 f;
  f.update("foobar");
  CHECK(f.value() == 0x85944171f73967e8ull);
}

TEST_CASE("store: a new database gets every table and view, WAL mode and the latest version", "[store]") {
  TempDir t;
  auto s = Store::open(t.path("c.sqlite"), Store::kReadWrite);
  CHECK(s->schema_version() == claimcheck::latest_schema_version());
  for (const char* name : {"sources", "articles", "claims", "conflicts", "reviews", "claims_with_article", "facts"}) {
    INFO(name);
    SQLite::Statement q(s->db(), "SELECT type FROM sqlite_master WHERE name = ?");
    q.bind(1, name);
    REQUIRE(q.executeStep());
  }
  CHECK(s->db().execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(s->db().execAndGet("PRAGMA foreign_keys").getInt() == 1);
  // reviews.status is constrained
  CHECK_THROWS(s->db().exec("INSERT INTO reviews(fingerprint, status) VALUES ('x', 'maybe')"));
  s->db().exec("INSERT INTO reviews(fingerprint, status) VALUES ('x', 'open')");
  s->db().exec("INSERT INTO conflicts(fingerprint, kind, severity, subject, metric, explanation, claims, created_at)"
               " VALUES ('f', 'value_mismatch', 'high', 'RUT', 'level', 'e', '[]', 'now')");
  CHECK_THROWS(s->db().exec("INSERT INTO conflicts(fingerprint, kind, severity, subject, metric, explanation, claims,"
                            " created_at) VALUES ('f', 'value_mismatch', 'high', 'RUT', 'level', 'e', '[]', 'now')"));
}

TEST_CASE("store: an older database is upgraded in place, its rows kept", "[store]") {
  TempDir t;
  std::string f = t.path("old.sqlite");
  {
    auto s = Store::open(f, Store::kReadWrite, 30000, 1);
    CHECK(s->schema_version() == 1);
    CHECK_FALSE(s->db().tableExists("facts"));
    s->begin();
    s->put_article(row("/x/a.txt", "h1"), {full_claim()});
    s->commit();
  }
  // A reader refuses the old schema and says what to do.
  try {
    Store::open(f, Store::kReadOnly);
    FAIL("read-only open of an old schema should throw");
  } catch (const DbError& e) {
    CHECK(std::string(e.what()).find("older than this claimcheck") != std::string::npos);
  }
  auto s = Store::open(f, Store::kReadWrite);
  CHECK(s->schema_version() == claimcheck::latest_schema_version());
  CHECK(s->count("claims") == 1);
  CHECK(s->db().execAndGet("SELECT path FROM claims_with_article").getString() == "/x/a.txt");
  CHECK(s->db().execAndGet("SELECT claims FROM facts").getInt() == 1);
  // Its conflicts come from some earlier check: the next one reads every subject.
  CHECK(s->db().execAndGet("SELECT group_concat(subject) FROM dirty_subjects").getString() == "DJI");
}

TEST_CASE("store: storing, replacing and deleting claims marks their subjects for the check", "[store]") {
  TempDir t;
  auto s = Store::open(t.path("d.sqlite"), Store::kReadWrite);
  auto dirty = [&] {
    std::string out;
    SQLite::Statement q(s->db(), "SELECT subject FROM dirty_subjects ORDER BY subject");
    while (q.executeStep()) out += q.getColumn(0).getString() + " ";
    return out;
  };
  Claim rut = full_claim(), spx = full_claim(), dji = full_claim();
  rut.subject = "RUT";
  spx.subject = "SPX";
  s->begin();
  s->put_article(row("/x/a.txt", "h1"), {rut, spx, rut});
  s->put_article(row("/x/b.txt", "h1"), {dji});
  s->commit();
  CHECK(dirty() == "DJI RUT SPX ");
  s->db().exec("DELETE FROM dirty_subjects");
  // The same hash: nothing stored, nothing marked.
  s->begin();
  CHECK(s->put_article(row("/x/a.txt", "h1"), {dji}) == Store::Put::kUnchanged);
  s->commit();
  CHECK(dirty().empty());
  // Replaced: the subjects of the old claims (RUT, SPX) and of the new (DJI).
  s->begin();
  CHECK(s->put_article(row("/x/a.txt", "h2"), {dji}) == Store::Put::kReplaced);
  s->commit();
  CHECK(dirty() == "DJI RUT SPX ");
  s->db().exec("DELETE FROM dirty_subjects");
  // Deleted: the subjects of its claims.
  s->begin();
  CHECK(s->remove_article("/x/b.txt"));
  s->commit();
  CHECK(dirty() == "DJI ");
  // A rolled-back batch marks nothing, and the next one marks again.
  s->db().exec("DELETE FROM dirty_subjects");
  s->begin();
  s->put_article(row("/x/c.txt", "h1"), {spx});
  s->rollback();
  CHECK(dirty().empty());
  s->begin();
  s->put_article(row("/x/c.txt", "h1"), {spx});
  s->commit();
  CHECK(dirty() == "SPX ");
}

TEST_CASE("store: a newer database is refused and left alone", "[store]") {
  TempDir t;
  std::string f = t.path("new.sqlite");
  {
    auto s = Store::open(f, Store::kReadWrite);
    s->db().exec("PRAGMA user_version = 99");
  }
  std::string before = slurp(f);
  for (auto mode : {Store::kReadWrite, Store::kReadOnly}) {
    try {
      Store::open(f, mode);
      FAIL("a newer database should be refused");
    } catch (const DbError& e) {
      std::string m = e.what();
      CHECK(m.find("schema version 99, newer than this claimcheck") != std::string::npos);
      CHECK(m.find("use a newer claimcheck") != std::string::npos);
    }
  }
  SQLite::Database raw(f);
  CHECK(raw.execAndGet("PRAGMA user_version").getInt() == 99);
}

TEST_CASE("store: a file that is not SQLite is refused with a clear reason and not touched", "[store]") {
  TempDir t;
  std::string f = t.path("notes.txt");
  std::string text = "These are my notes, not a database. They are long enough to look like a file header, surely.\n";
  { std::ofstream(f) << text; }
  try {
    Store::open(f, Store::kReadWrite);
    FAIL("should throw");
  } catch (const DbError& e) {
    CHECK(std::string(e.what()).find("not an SQLite database") != std::string::npos);
  }
  CHECK(slurp(f) == text);
}

TEST_CASE("store: a read-only store cannot write, a missing database is not created", "[store]") {
  TempDir t;
  std::string f = t.path("c.sqlite");
  try {
    Store::open(f, Store::kReadOnly);
    FAIL("should throw");
  } catch (const DbError& e) {
    CHECK(std::string(e.what()).find("no such database") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(f));
  { std::ofstream(f).flush(); }  // an empty file, as `sqlite3 FILE` leaves it
  try {
    Store::open(f, Store::kReadOnly);
    FAIL("should throw");
  } catch (const DbError& e) {
    CHECK(std::string(e.what()).find("the database is empty") != std::string::npos);
  }
  { Store::open(f, Store::kReadWrite); }
  auto ro = Store::open(f, Store::kReadOnly);
  CHECK_THROWS(ro->db().exec("INSERT INTO sources(name) VALUES ('x')"));
  CHECK_THROWS(ro->db().exec("PRAGMA query_only = 0; INSERT INTO sources(name) VALUES ('x')"));
  CHECK(ro->count("sources") == 0);
}

TEST_CASE("store: every field of the claim record is stored", "[store]") {
  TempDir t;
  auto s = Store::open(t.path("c.sqlite"), Store::kReadWrite);
  s->begin();
  CHECK(s->put_article(row("/x/a1.txt", "h1"), {full_claim()}) == Store::Put::kInserted);
  s->commit();
  SQLite::Statement q(s->db(),
                      "SELECT article, start, end, quote, subject, metric, value, unit, qualifier, lo, hi, period_start,"
                      " period_end, as_of, as_of_basis, basis, event_date, record, confidence, rule, flags,"
                      " alt_event_date, alt_value, text, time_rules, path, source, published FROM claims_with_article");
  REQUIRE(q.executeStep());
  Claim c = full_claim();
  int i = 0;
  CHECK(q.getColumn(i++).getString() == c.article);
  CHECK(q.getColumn(i++).getInt64() == c.start);
  CHECK(q.getColumn(i++).getInt64() == c.end);
  CHECK(q.getColumn(i++).getString() == c.quote);
  CHECK(q.getColumn(i++).getString() == c.subject);
  CHECK(q.getColumn(i++).getString() == c.metric);
  CHECK(q.getColumn(i++).getDouble() == c.value);
  CHECK(q.getColumn(i++).getString() == c.unit);
  CHECK(q.getColumn(i++).getString() == c.qualifier);
  CHECK(q.getColumn(i++).getDouble() == c.lo);
  CHECK(q.getColumn(i++).getDouble() == c.hi);
  CHECK(q.getColumn(i++).getString() == c.period_start);
  CHECK(q.getColumn(i++).getString() == c.period_end);
  CHECK(q.getColumn(i++).getString() == c.as_of);
  CHECK(q.getColumn(i++).getString() == c.as_of_basis);
  CHECK(q.getColumn(i++).getString() == c.basis);
  CHECK(q.getColumn(i++).getString() == c.event_date);
  CHECK(q.getColumn(i++).getInt() == 1);
  CHECK(q.getColumn(i++).getDouble() == c.confidence);
  CHECK(q.getColumn(i++).getString() == c.rule);
  CHECK(q.getColumn(i++).getString() == R"(["garbled_date","as_of_uncertain"])");
  CHECK(q.getColumn(i++).getString() == c.alt_event_date);
  CHECK(q.getColumn(i++).getDouble() == *c.alt_value);
  CHECK(q.getColumn(i++).getString() == c.text);
  CHECK(q.getColumn(i++).getString() == R"(["day.weekday"])");
  CHECK(q.getColumn(i++).getString() == "/x/a1.txt");
  CHECK(q.getColumn(i++).getString() == "wire");
  CHECK(q.getColumn(i++).getString() == "2024-11-26");
  // Unknown dates and no alternative reading are NULL, not "".
  Claim bare;
  bare.article = "a2";
  bare.subject = "SPX";
  bare.metric = "level";
  bare.as_of_basis = "publication";  // meaningless without as_of: stored as NULL
  ArticleRow r2 = row("/x/a2.txt", "h2");
  r2.source = "";
  r2.published = "";
  s->begin();
  s->put_article(r2, {bare});
  s->commit();
  SQLite::Statement n(s->db(),
                      "SELECT period_start IS NULL AND period_end IS NULL AND as_of IS NULL AND as_of_basis IS NULL"
                      " AND event_date IS NULL AND alt_event_date IS NULL AND alt_value IS NULL AND source IS NULL"
                      " AND published IS NULL FROM claims_with_article WHERE article = 'a2'");
  REQUIRE(n.executeStep());
  CHECK(n.getColumn(0).getInt() == 1);
  CHECK(s->count("sources") == 1);
}

TEST_CASE("store: same hash leaves an article alone, another hash replaces only its claims", "[store]") {
  TempDir t;
  auto s = Store::open(t.path("c.sqlite"), Store::kReadWrite);
  Claim c = full_claim();
  s->begin();
  s->put_article(row("/x/a.txt", "h1"), {c, c});
  s->put_article(row("/x/b.txt", "h1"), {c, c, c});
  s->commit();
  auto a_ids = claim_ids(*s, "/x/a.txt"), b_ids = claim_ids(*s, "/x/b.txt");
  long long a_article = s->db().execAndGet("SELECT id FROM articles WHERE path = '/x/a.txt'").getInt64();
  REQUIRE(a_ids.size() == 2);
  REQUIRE(b_ids.size() == 3);

  s->begin();
  CHECK(s->put_article(row("/x/a.txt", "h1"), {c}) == Store::Put::kUnchanged);
  s->commit();
  CHECK(claim_ids(*s, "/x/a.txt") == a_ids);

  s->begin();
  CHECK(s->put_article(row("/x/a.txt", "h2"), {c}) == Store::Put::kReplaced);
  s->commit();
  auto a2 = claim_ids(*s, "/x/a.txt");
  REQUIRE(a2.size() == 1);
  CHECK(a2[0] > b_ids.back());                      // new rows
  CHECK(claim_ids(*s, "/x/b.txt") == b_ids);         // the other article untouched
  CHECK(s->db().execAndGet("SELECT id FROM articles WHERE path = '/x/a.txt'").getInt64() == a_article);
  CHECK(*s->article_hash("/x/a.txt") == "h2");
  CHECK(s->count("claims") == 4);

  // A rolled-back transaction leaves nothing.
  s->begin();
  s->put_article(row("/x/c.txt", "h1"), {c});
  s->rollback();
  CHECK_FALSE(s->article_hash("/x/c.txt"));
  CHECK(s->count("claims") == 4);

  s->begin();
  CHECK(s->remove_article("/x/a.txt"));
  CHECK_FALSE(s->remove_article("/x/nope.txt"));
  s->commit();
  CHECK(s->count("claims") == 3);
  CHECK(s->count("articles") == 1);
}

TEST_CASE("store: a writer waiting beyond the busy timeout gets a clear 'locked' error", "[store]") {
  TempDir t;
  std::string f = t.path("c.sqlite");
  auto a = Store::open(f, Store::kReadWrite);
  auto b = Store::open(f, Store::kReadWrite, 200);
  a->begin();
  try {
    b->begin();
    FAIL("should time out");
  } catch (const DbError& e) {
    CHECK(std::string(e.what()).find("locked by another program") != std::string::npos);
  }
  a->commit();
  b->begin();  // free again
  b->commit();
}
