// @brief Batch ingest and JSONL load: idempotence, replacement, failures, vanished files.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "temp_dir.h"
#include "core/ingest.h"
#include "core/jsonl.h"

namespace fs = std::filesystem;
using namespace claimcheck;

namespace {

const RuleSet& test_rules() {
  static std::unique_ptr<RuleSet> rs = [] {
    std::vector<std::string> errors;
    auto r = RuleSet::load(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules", &errors);
    for (const auto& e : errors) UNSCOPED_INFO(e);
    return r;
  }();
  REQUIRE(rs);
  return *rs;
}

// Six small articles in two folders, with sidecars.
void write_corpus(const TempDir& t) {
  const char* texts[] = {
      "The Dow Jones Industrial Average rose 1.2% on Monday.\n",
      "The S&P 500 fell 0.5% on Friday to 5,900.\n",
      "The Nasdaq Composite gained 2.1% last week.\n",
      "The Russell 2000 closed at 2,400 on Tuesday, a record high.\n",
      "Gold fell 1.1% last week, while the 10-year Treasury yield rose 14 basis points to 4.4%.\n",
      "Bitcoin rose 3% on Wednesday.\n",
  };
  const char* dates[] = {"2024-11-26", "2024-11-26", "2024-10-17", "2024-11-27", "2024-10-17", "2024-11-28"};
  for (int i = 0; i < 6; ++i) {
    std::string name = std::string(i < 3 ? "c/" : "c/sub/") + "a" + std::to_string(i);
    t.write(name + ".txt", texts[i]);
    t.write(name + ".meta.json", std::string("{\"published\": \"") + dates[i] + "\", \"source\": \"s" +
                                     std::to_string(i % 2) + "\"}\n");
  }
}

// Every row of every table, timestamps left out, in id order.
std::vector<std::string> dump(Store& s) {
  std::vector<std::string> out;
  for (const char* sql :
       {"SELECT * FROM sources ORDER BY id",
        "SELECT id, path, ident, origin, hash, bytes, source_id, published, published_from, language, translated"
        " FROM articles ORDER BY id",
        "SELECT * FROM claims ORDER BY id", "SELECT * FROM conflicts ORDER BY id", "SELECT * FROM reviews"}) {
    SQLite::Statement q(s.db(), sql);
    while (q.executeStep()) {
      std::string line = sql;
      for (int i = 0; i < q.getColumnCount(); ++i) line += "|" + (q.isColumnNull(i) ? "NULL" : q.getColumn(i).getString());
      out.push_back(line);
    }
  }
  return out;
}

std::map<std::string, std::vector<long long>> claim_ids(Store& s) {
  std::map<std::string, std::vector<long long>> m;
  SQLite::Statement q(s.db(), "SELECT a.path, c.id FROM claims c JOIN articles a ON a.id = c.article_id ORDER BY c.id");
  while (q.executeStep()) m[q.getColumn(0).getString()].push_back(q.getColumn(1).getInt64());
  return m;
}

struct Recorder {
  std::vector<std::string> failed, missing, warnings;
  IngestEvents events() {
    IngestEvents e;
    e.failed = [this](const std::string& p, const std::string& r) { failed.push_back(p + ": " + r); };
    e.missing = [this](const std::string& p, bool pruned) { missing.push_back(p + (pruned ? " pruned" : " kept")); };
    e.warning = [this](const std::string& p, const std::string& w) { warnings.push_back(p + ": " + w); };
    return e;
  }
};

IngestOptions opts(int threads, size_t batch = 64) {
  IngestOptions o;
  o.threads = threads;
  o.batch = batch;
  return o;
}

}  // namespace

TEST_CASE("ingest: a folder ingested twice leaves exactly the same rows", "[ingest]") {
  TempDir t;
  write_corpus(t);
  auto s = Store::open(t.path("c.sqlite"), Store::kReadWrite);
  Recorder rec;
  auto first = ingest({t.path("c")}, test_rules(), *s, opts(3, 2), rec.events());
  CHECK(first.files == 6);
  CHECK(first.inserted == 6);
  CHECK(first.failed == 0);
  CHECK(first.claims >= 7);
  CHECK(first.claims == s->count("claims"));
  auto before = dump(*s);
  auto second = ingest({t.path("c")}, test_rules(), *s, opts(2), rec.events());
  CHECK(second.unchanged == 6);
  CHECK(second.inserted + second.replaced == 0);
  CHECK(second.claims == 0);
  CHECK(dump(*s) == before);
  // Giving the same files another way (relative to another folder, one twice) changes nothing either.
  auto third = ingest({t.path("c/sub/../a0.txt"), t.path("c/a0.txt"), t.path("c/sub")}, test_rules(), *s, opts(1),
                      rec.events());
  CHECK(third.files == 4);
  CHECK(third.unchanged == 4);
  CHECK(dump(*s) == before);
  CHECK(rec.failed.empty());
  CHECK(rec.missing.empty());
  // Sources and publication dates come from the sidecars.
  CHECK(s->count("sources") == 2);
  CHECK(s->db().execAndGet("SELECT COUNT(*) FROM articles WHERE published_from = 'sidecar'").getInt() == 6);
  CHECK(s->db().execAndGet("SELECT as_of FROM claims WHERE subject = 'DJI'").getString() == "2024-11-25");
}

TEST_CASE("ingest: the stored content does not depend on threads or batch size", "[ingest]") {
  TempDir t;
  write_corpus(t);
  auto a = Store::open(t.path("a.sqlite"), Store::kReadWrite);
  auto b = Store::open(t.path("b.sqlite"), Store::kReadWrite);
  Recorder rec;
  ingest({t.path("c")}, test_rules(), *a, opts(1, 64), rec.events());
  ingest({t.path("c")}, test_rules(), *b, opts(4, 1), rec.events());
  auto content = [](Store& s) {
    std::vector<std::string> v;
    SQLite::Statement q(s.db(),
                        "SELECT path, start, end, subject, metric, value, as_of, quote FROM claims_with_article"
                        " ORDER BY path, start, end, subject, metric");
    while (q.executeStep()) {
      std::string line;
      for (int i = 0; i < q.getColumnCount(); ++i) line += q.getColumn(i).getString() + "|";
      v.push_back(line);
    }
    return v;
  };
  auto ca = content(*a);
  CHECK(ca.size() >= 7);
  CHECK(ca == content(*b));
}

TEST_CASE("ingest: a changed file (or sidecar) replaces only its own claims", "[ingest]") {
  TempDir t;
  write_corpus(t);
  auto s = Store::open(t.path("c.sqlite"), Store::kReadWrite);
  Recorder rec;
  ingest({t.path("c")}, test_rules(), *s, opts(2), rec.events());
  auto ids = claim_ids(*s);
  const std::string changed = t.path("c/a0.txt");
  REQUIRE(ids.count(changed));

  t.write("c/a0.txt", "The Dow Jones Industrial Average fell 0.7% on Tuesday. The Nasdaq rose 1% on Tuesday.\n");
  auto r = ingest({t.path("c")}, test_rules(), *s, opts(2), rec.events());
  CHECK(r.replaced == 1);
  CHECK(r.unchanged == 5);
  auto after = claim_ids(*s);
  for (const auto& [path, v] : ids)
    if (path != changed) CHECK(after[path] == v);
  REQUIRE(after[changed].size() == 2);
  // The old claim (DJI up 1.2%) is gone, not kept beside the new one. (Row
  // ids cannot show it: SQLite gives a new row the largest id + 1, which is
  // an old one's when the changed article was the last stored, and with two
  // workers the order articles are stored in is the order they finish.)
  CHECK(s->db().execAndGet("SELECT COUNT(*) FROM claims WHERE subject = 'DJI'").getInt() == 1);
  CHECK(s->db().execAndGet("SELECT value FROM claims WHERE subject = 'DJI'").getDouble() == Approx(-0.7));
  size_t others = 0;
  for (const auto& [path, v] : ids)
    if (path != changed) others += v.size();
  CHECK(s->count("claims") == static_cast<long long>(others + 2));

  // Only the sidecar changes: the article is re-read against its new date.
  t.write("c/a0.meta.json", "{\"published\": \"2024-12-04\"}\n");
  r = ingest({t.path("c")}, test_rules(), *s, opts(2), rec.events());
  CHECK(r.replaced == 1);
  CHECK(s->db().execAndGet("SELECT as_of FROM claims WHERE subject = 'DJI'").getString() == "2024-12-03");
  CHECK(s->db().execAndGet("SELECT published FROM articles WHERE path = '" + changed + "'").getString() ==
        "2024-12-04");
  after = claim_ids(*s);
  for (const auto& [path, v] : ids)
    if (path != changed) CHECK(after[path] == v);
  CHECK(rec.failed.empty());
}

TEST_CASE("ingest: a bad file is reported and counted, the others are stored", "[ingest]") {
  TempDir t;
  write_corpus(t);
  t.write("c/bad.txt", "The S&P 500 rose 1% \xff\xfe on Monday.\n");
  t.write("c/nul.txt", std::string("The S&P 500 rose\0 1%.\n", 23));
  auto s = Store::open(t.path("c.sqlite"), Store::kReadWrite);
  Recorder rec;
  auto r = ingest({t.path("c"), t.path("nowhere.txt")}, test_rules(), *s, opts(2), rec.events());
  CHECK(r.files == 9);
  CHECK(r.failed == 3);
  CHECK(r.inserted == 6);
  REQUIRE(rec.failed.size() == 3);
  std::sort(rec.failed.begin(), rec.failed.end());
  CHECK(rec.failed[0].rfind(t.path("c/bad.txt") + ": invalid UTF-8 at byte", 0) == 0);
  CHECK(rec.failed[1].rfind(t.path("c/nul.txt") + ": ", 0) == 0);
  CHECK(rec.failed[2] == t.path("nowhere.txt") + ": no such file");
  CHECK(s->count("articles") == 6);
}

TEST_CASE("ingest: a file gone from a walked folder is reported, kept, and deleted with prune", "[ingest]") {
  TempDir t;
  write_corpus(t);
  t.write("other/x.txt", "The Dow Jones Industrial Average rose 1.2% on Monday.\n");
  auto s = Store::open(t.path("c.sqlite"), Store::kReadWrite);
  Recorder rec;
  ingest({t.path("c"), t.path("other")}, test_rules(), *s, opts(2), rec.events());
  long long claims = s->count("claims");
  fs::remove(t.path("c/sub/a3.txt"));
  fs::remove(t.path("other/x.txt"));
  // Only the walked folder is checked: other/ is not walked this time.
  auto r = ingest({t.path("c")}, test_rules(), *s, opts(2), rec.events());
  CHECK(r.missing == 1);
  CHECK(r.pruned == 0);
  REQUIRE(rec.missing.size() == 1);
  CHECK(rec.missing[0] == t.path("c/sub/a3.txt") + " kept");
  CHECK(s->count("claims") == claims);
  IngestOptions o = opts(2);
  o.prune = true;
  r = ingest({t.path("c")}, test_rules(), *s, o, rec.events());
  CHECK(r.pruned == 1);
  CHECK_FALSE(s->article_hash(t.path("c/sub/a3.txt")));
  CHECK(s->article_hash(t.path("other/x.txt")));  // not under a walked folder
  CHECK(s->count("claims") < claims);
  CHECK(s->db().execAndGet("SELECT COUNT(*) FROM claims WHERE article_id NOT IN (SELECT id FROM articles)").getInt() == 0);
}

TEST_CASE("ingest: a database error stops the run with nothing half-written", "[ingest]") {
  TempDir t;
  write_corpus(t);
  std::string f = t.path("c.sqlite");
  auto s = Store::open(f, Store::kReadWrite, 100);
  auto other = Store::open(f, Store::kReadWrite);
  other->begin();  // holds the write lock
  Recorder rec;
  CHECK_THROWS_AS(ingest({t.path("c")}, test_rules(), *s, opts(2, 2), rec.events()), DbError);
  other->rollback();
  CHECK(s->count("articles") == 0);
  CHECK(s->count("claims") == 0);
}

TEST_CASE("load: claim lines become articles, bad lines are skipped, a reload changes nothing",
          "[ingest]") {
  TempDir t;
  Claim c;
  c.article = "wire_1";
  c.subject = "RUT";
  c.metric = "level";
  c.value = 2400;
  c.quote = "closed at 2,400";
  c.flags = {"garbled_date"};
  c.alt_value = 24.0;
  std::string l1 = claim_to_json(c).dump();
  c.start = 40;
  c.value = 2401;
  std::string l2 = claim_to_json(c).dump();
  c.article = "blog_2";
  std::string l3 = claim_to_json(c).dump();
  t.write("claims.jsonl", l1 + "\n" + "{not json\n" + l3 + "\n\n" + "{\"article\": \"x\"}\n" + l2 + "\n");
  auto s = Store::open(t.path("c.sqlite"), Store::kReadWrite);
  std::vector<std::string> bad;
  auto on_bad = [&](size_t line, const std::string& r) { bad.push_back(std::to_string(line) + ": " + r); };
  LoadSummary sum;
  std::string err;
  REQUIRE(load_claims(t.path("claims.jsonl"), *s, on_bad, &sum, &err));
  CHECK(sum.lines == 5);
  CHECK(sum.bad == 2);
  CHECK(sum.inserted == 2);
  CHECK(sum.claims == 3);
  REQUIRE(bad.size() == 2);
  CHECK(bad[0].rfind("2: not valid JSON", 0) == 0);
  CHECK(bad[1] == "5: not a claim record: fields 'subject' and 'metric' are required");
  CHECK(s->db().execAndGet("SELECT COUNT(*) FROM claims_with_article WHERE path = 'wire_1'").getInt() == 2);
  CHECK(s->db().execAndGet("SELECT alt_value FROM claims WHERE article = 'blog_2'").getDouble() == 24.0);
  CHECK(s->db().execAndGet("SELECT origin FROM articles WHERE path = 'blog_2'").getString() == "load");
  auto before = dump(*s);

  LoadSummary again;
  bad.clear();
  REQUIRE(load_claims(t.path("claims.jsonl"), *s, on_bad, &again, &err));
  CHECK(again.unchanged == 2);
  CHECK(again.claims == 0);
  CHECK(dump(*s) == before);

  // One article's lines change: only its claims are replaced.
  t.write("claims.jsonl", l1 + "\n" + l3 + "\n");
  long long blog_claim = s->db().execAndGet("SELECT id FROM claims WHERE article = 'blog_2'").getInt64();
  LoadSummary third;
  REQUIRE(load_claims(t.path("claims.jsonl"), *s, on_bad, &third, &err));
  CHECK(third.replaced == 1);
  CHECK(third.unchanged == 1);
  CHECK(s->db().execAndGet("SELECT COUNT(*) FROM claims WHERE article = 'wire_1'").getInt() == 1);
  CHECK(s->db().execAndGet("SELECT id FROM claims WHERE article = 'blog_2'").getInt64() == blog_claim);

  CHECK_FALSE(load_claims(t.path("none.jsonl"), *s, on_bad, &third, &err));
  CHECK(err == "no such file");
}

TEST_CASE("ingest: --force extracts unchanged files again, standard input is refused", "[ingest]") {
  TempDir t;
  write_corpus(t);
  auto s = Store::open(t.path("c.sqlite"), Store::kReadWrite);
  Recorder rec;
  ingest({t.path("c")}, test_rules(), *s, opts(2), rec.events());
  auto ids = claim_ids(*s);
  IngestOptions o = opts(2);
  o.force = true;
  auto r = ingest({t.path("c"), "-"}, test_rules(), *s, o, rec.events());
  CHECK(r.replaced == 6);
  CHECK(r.unchanged == 0);
  CHECK(r.failed == 1);
  REQUIRE(rec.failed.size() == 1);
  CHECK(rec.failed[0].rfind("-: ingest reads files, not standard input", 0) == 0);
  auto after = claim_ids(*s);
  REQUIRE(after.size() == ids.size());
  for (const auto& [path, v] : ids) {
    CHECK(after[path].size() == v.size());
    CHECK(after[path] != v);  // new rows
  }
}
