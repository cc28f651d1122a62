// @brief The claims database. Tested by store_test.cc (schema, migrations,
// idempotent puts, error messages) and tests/cli/ingest_*.sh.
#include "core/store.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>

#include "core/jsonl.h"

namespace claimcheck {

const std::vector<Migration>& migrations() {
  // db/migrations/*.sql, embedded at build time (scripts/embed_migrations.cmake).
  static const std::vector<Migration> m = {
#include "migrations.inc"
  };
  return m;
}

int latest_schema_version() { return migrations().back().version; }

void Fnv1a64::update(std::string_view bytes) {
  uint64_t h = h_;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  h_ = h;
}

std::string Fnv1a64::hex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
  return buf;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string describe_sqlite_error(const SQLite::Exception& e, int busy_ms) {
  switch (e.getErrorCode()) {
    case SQLITE_NOTADB:
      return "not an SQLite database (point --db at another file, or move this one away)";
    case SQLITE_READONLY:
      return "the database is read-only (check the permissions of the file and its folder, or use --db to write elsewhere)";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "the database is locked by another program for more than " + std::to_string(busy_ms / 1000) +
             " s (let it finish and run again, or raise --busy-timeout)";
    case SQLITE_CANTOPEN:
      return "cannot open the database file (does its folder exist, and may you write there?)";
    case SQLITE_CORRUPT:
      return "the database file is corrupt (restore a backup, or ingest again into a new --db file)";
    case SQLITE_FULL:
      return "the disk is full (free some space and run again; nothing was half-written)";
    case SQLITE_IOERR:
      return std::string("I/O error (") + e.what() + "; check the disk and run again)";
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return "permission denied by SQLite (check the file's permissions)";
    default:
      return std::string("SQLite error: ") + e.what();
  }
}

namespace {

[[noreturn]] void rethrow(const SQLite::Exception& e, int busy_ms) { throw DbError(describe_sqlite_error(e, busy_ms)); }

void bind_opt(SQLite::Statement& s, int i, const std::string& v) {
  if (v.empty()) s.bind(i);
  else s.bind(i, v);
}

std::string newer_message(int v) {
  return "the database has schema version " + std::to_string(v) + ", newer than this claimcheck knows (" +
         std::to_string(latest_schema_version()) + "); use a newer claimcheck, or another --db file";
}

}  // namespace

void migrate(SQLite::Database& db, const std::string& file, int target) {
  (void)file;
  if (target < 0) target = latest_schema_version();
  int v = db.execAndGet("PRAGMA user_version").getInt();
  if (v > latest_schema_version()) throw DbError(newer_message(v));
  if (v >= target) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    v = db.execAndGet("PRAGMA user_version").getInt();  // another process may have migrated meanwhile
    if (v > latest_schema_version()) throw DbError(newer_message(v));
    if (v < target) {
      for (const auto& m : migrations())
        if (m.version > v && m.version <= target) db.exec(m.sql);
      db.exec("PRAGMA user_version = " + std::to_string(target));
    }
    db.exec("COMMIT");
  } catch (...) {
    db.tryExec("ROLLBACK");
    throw;
  }
}

std::unique_ptr<Store> Store::open(const std::string& file, Mode mode, int busy_ms, int target_version) {
  // SQLite counts every allocation under a global mutex unless told not to;
  // claimcheck never asks for the counts. Only possible before SQLite starts
  // (a later call is refused, harmlessly).
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  std::unique_ptr<Store> s(new Store);
  s->file_ = file;
  s->busy_ms_ = busy_ms;
  try {
    if (mode == kReadOnly) {
      std::FILE* f = std::fopen(file.c_str(), "rb");
      if (!f) throw DbError("no such database (run `claimcheck ingest` or `claimcheck load` first, or check --db)");
      std::fclose(f);
      s->db_ = std::make_unique<SQLite::Database>(file, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, busy_ms);
      s->db_->exec("PRAGMA query_only = 1");
      int v = s->db_->execAndGet("PRAGMA user_version").getInt();
      if (v > latest_schema_version()) throw DbError(newer_message(v));
      if (v == 0)
        throw DbError("the database is empty (run `claimcheck ingest` or `claimcheck load` first, or check --db)");
      if (v < latest_schema_version())
        throw DbError("the database has schema version " + std::to_string(v) + ", older than this claimcheck's (" +
                      std::to_string(latest_schema_version()) +
                      "); run `claimcheck ingest` or `claimcheck load` on it once to upgrade it");
      return s;
    }
    s->db_ = std::make_unique<SQLite::Database>(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX, busy_ms);
    if (sqlite3_db_readonly(s->db_->getHandle(), "main") == 1)
      throw DbError("the database is read-only (check the permissions of the file and its folder, or use --db to write elsewhere)");
    // Switching to WAL needs a moment alone with the file: retry while another
    // process holds it, within the busy timeout.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_ms);
    for (;;) {
      try {
        std::string jm = s->db_->execAndGet("PRAGMA journal_mode = WAL").getString();
        if (jm != "wal") throw DbError("cannot switch the database to WAL mode (journal mode stays '" + jm + "')");
        break;
      } catch (const SQLite::Exception& e) {
        if ((e.getErrorCode() != SQLITE_BUSY && e.getErrorCode() != SQLITE_LOCKED) ||
            std::chrono::steady_clock::now() > deadline)
          throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    s->db_->exec("PRAGMA synchronous = NORMAL");
    // 16 MB of page cache (SQLite's default is 2 MB): the claims_fact index
    // takes inserts all over, and pages that fell out of a small cache were
    // read back from the file (ingest of 30 MB: wall -8%, system time -25%;
    // peak RSS 41 -> 58 MB, a bound that does not grow with the corpus).
    s->db_->exec("PRAGMA cache_size = -16384");
    s->db_->exec("PRAGMA foreign_keys = ON");
    migrate(*s->db_, file, target_version);
    s->has_check_tables_ = s->schema_version() >= 3;
  } catch (const SQLite::Exception& e) {
    rethrow(e, busy_ms);
  }
  return s;
}

int Store::schema_version() { return db_->execAndGet("PRAGMA user_version").getInt(); }

long long Store::count(const std::string& table) {
  return db_->execAndGet("SELECT COUNT(*) FROM " + table).getInt64();
}

void Store::begin() {
  try {
    db_->exec("BEGIN IMMEDIATE");
    in_tx_ = true;
    marked_.clear();
  } catch (const SQLite::Exception& e) {
    rethrow(e, busy_ms_);
  }
}

void Store::commit() {
  try {
    db_->exec("COMMIT");
    in_tx_ = false;
    marked_.clear();
  } catch (const SQLite::Exception& e) {
    rollback();
    rethrow(e, busy_ms_);
  }
}

void Store::rollback() noexcept {
  if (in_tx_) db_->tryExec("ROLLBACK");
  in_tx_ = false;
  marked_.clear();
}

void Store::mark_dirty(const std::vector<Claim>& claims, long long id) {
  if (!has_check_tables_) return;
  if (!mark_subject_) {
    mark_subject_ = std::make_unique<SQLite::Statement>(*db_, "INSERT OR IGNORE INTO dirty_subjects(subject) VALUES (?)");
    mark_article_ = std::make_unique<SQLite::Statement>(
        *db_, "INSERT OR IGNORE INTO dirty_subjects(subject) SELECT DISTINCT subject FROM claims WHERE article_id = ?");
  }
  if (id >= 0) {
    mark_article_->reset();
    mark_article_->bind(1, static_cast<int64_t>(id));
    mark_article_->exec();
  }
  for (const Claim& c : claims) {
    if (!marked_.insert(c.subject).second) continue;
    mark_subject_->reset();
    mark_subject_->bind(1, c.subject);
    mark_subject_->exec();
  }
}

std::optional<std::string> Store::meta(const std::string& key) {
  try {
    if (!has_check_tables_) return std::nullopt;
    SQLite::Statement q(*db_, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
  } catch (const SQLite::Exception& e) {
    rethrow(e, busy_ms_);
  }
}

void Store::set_meta(const std::string& key, const std::string& value) {
  try {
    SQLite::Statement q(*db_, "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    q.bind(1, key);
    q.bind(2, value);
    q.exec();
  } catch (const SQLite::Exception& e) {
    rethrow(e, busy_ms_);
  }
}

long long Store::source_id(const std::string& name) {
  if (!find_source_) {
    find_source_ = std::make_unique<SQLite::Statement>(*db_, "SELECT id FROM sources WHERE name = ?");
    insert_source_ = std::make_unique<SQLite::Statement>(*db_, "INSERT INTO sources(name) VALUES (?)");
  }
  find_source_->reset();
  find_source_->bind(1, name);
  if (find_source_->executeStep()) {
    long long id = find_source_->getColumn(0).getInt64();
    find_source_->reset();
    return id;
  }
  insert_source_->reset();
  insert_source_->bind(1, name);
  insert_source_->exec();
  return db_->getLastInsertRowid();
}

std::optional<std::string> Store::article_hash(const std::string& path) {
  try {
    SQLite::Statement q(*db_, "SELECT hash FROM articles WHERE path = ?");
    q.bind(1, path);
    if (q.executeStep()) return q.getColumn(0).getString();
    return std::nullopt;
  } catch (const SQLite::Exception& e) {
    rethrow(e, busy_ms_);
  }
}

void Store::insert_claims(long long article_id, const std::vector<Claim>& claims) {
  if (!insert_claim_)
    insert_claim_ = std::make_unique<SQLite::Statement>(
        *db_,
        "INSERT INTO claims(article_id, article, start, end, quote, subject, metric, value, unit, qualifier, lo, hi,"
        " period_start, period_end, as_of, as_of_basis, basis, event_date, record, confidence, rule, flags,"
        " alt_event_date, alt_value, text, time_rules)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  auto& q = *insert_claim_;
  // Text is bound without a copy (SQLITE_STATIC): every string lives in
  // `claims` or in the locals below until exec(), and the bindings are
  // cleared before returning. Copying them was a third of the insert's cost.
  auto text = [&q](int i, const std::string& v) { q.bindNoCopy(i, v); };
  auto text_opt = [&q](int i, const std::string& v) {
    if (v.empty()) q.bind(i);
    else q.bindNoCopy(i, v);
  };
  std::string flags, time_rules;
  for (const Claim& c : claims) {
    q.reset();
    flags.clear();
    json_text::strings(&flags, c.flags);
    time_rules.clear();
    json_text::strings(&time_rules, c.time_rules);
    int i = 1;
    q.bind(i++, static_cast<int64_t>(article_id));
    text(i++, c.article);
    q.bind(i++, static_cast<int64_t>(c.start));
    q.bind(i++, static_cast<int64_t>(c.end));
    text(i++, c.quote);
    text(i++, c.subject);
    text(i++, c.metric);
    q.bind(i++, c.value);
    text(i++, c.unit);
    text(i++, c.qualifier);
    q.bind(i++, c.lo);
    q.bind(i++, c.hi);
    text_opt(i++, c.period_start);
    text_opt(i++, c.period_end);
    text_opt(i++, c.as_of);
    if (c.as_of.empty()) q.bind(i++);  // no basis without a date
    else text_opt(i++, c.as_of_basis);
    text(i++, c.basis);
    text_opt(i++, c.event_date);
    q.bind(i++, c.record ? 1 : 0);
    q.bind(i++, c.confidence);
    text(i++, c.rule);
    text(i++, flags);
    text_opt(i++, c.alt_event_date);
    if (c.alt_value) q.bind(i++, *c.alt_value);
    else q.bind(i++);
    text_opt(i++, c.text);
    text(i++, time_rules);
    q.exec();
  }
  q.reset();
  q.clearBindings();
}

Store::Put Store::put_article(const ArticleRow& row, const std::vector<Claim>& claims, bool force) {
  try {
    if (!find_article_) {
      find_article_ = std::make_unique<SQLite::Statement>(*db_, "SELECT id, hash FROM articles WHERE path = ?");
      insert_article_ = std::make_unique<SQLite::Statement>(
          *db_,
          "INSERT INTO articles(ident, origin, hash, bytes, source_id, published, published_from, language, translated,"
          " ingested_at, path) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
      update_article_ = std::make_unique<SQLite::Statement>(
          *db_,
          "UPDATE articles SET ident = ?, origin = ?, hash = ?, bytes = ?, source_id = ?, published = ?,"
          " published_from = ?, language = ?, translated = ?, ingested_at = ? WHERE id = ?");
      delete_claims_ = std::make_unique<SQLite::Statement>(*db_, "DELETE FROM claims WHERE article_id = ?");
    }
    find_article_->reset();
    find_article_->bind(1, row.path);
    long long id = -1;
    if (find_article_->executeStep()) {
      id = find_article_->getColumn(0).getInt64();
      bool same = find_article_->getColumn(1).getString() == row.hash;
      find_article_->reset();
      if (same && !force) return Put::kUnchanged;
    }
    find_article_->reset();
    const bool existed = id >= 0;
    long long src = row.source.empty() ? -1 : source_id(row.source);
    SQLite::Statement& q = existed ? *update_article_ : *insert_article_;
    q.reset();
    int i = 1;
    q.bind(i++, row.ident);
    q.bind(i++, row.origin);
    q.bind(i++, row.hash);
    q.bind(i++, static_cast<int64_t>(row.bytes));
    if (src < 0) q.bind(i++);
    else q.bind(i++, static_cast<int64_t>(src));
    bind_opt(q, i++, row.published);
    bind_opt(q, i++, row.published_from);
    bind_opt(q, i++, row.language);
    q.bind(i++, row.translated ? 1 : 0);
    q.bind(i++, utc_now());
    if (!existed) {
      q.bind(i++, row.path);
      q.exec();
      id = db_->getLastInsertRowid();
    } else {
      q.bind(i++, static_cast<int64_t>(id));
      q.exec();
      mark_dirty({}, id);  // the subjects of the claims about to go
      delete_claims_->reset();
      delete_claims_->bind(1, static_cast<int64_t>(id));
      delete_claims_->exec();
    }
    insert_claims(id, claims);
    mark_dirty(claims, -1);
    return existed ? Put::kReplaced : Put::kInserted;
  } catch (const SQLite::Exception& e) {
    rethrow(e, busy_ms_);
  }
}

bool Store::remove_article(const std::string& path) {
  try {
    SQLite::Statement find(*db_, "SELECT id FROM articles WHERE path = ?");
    find.bind(1, path);
    if (!find.executeStep()) return false;
    long long id = find.getColumn(0).getInt64();
    find.reset();
    mark_dirty({}, id);
    SQLite::Statement dc(*db_, "DELETE FROM claims WHERE article_id = ?");
    dc.bind(1, static_cast<int64_t>(id));
    dc.exec();
    SQLite::Statement da(*db_, "DELETE FROM articles WHERE id = ?");
    da.bind(1, static_cast<int64_t>(id));
    da.exec();
    return true;
  } catch (const SQLite::Exception& e) {
    rethrow(e, busy_ms_);
  }
}

}  // namespace claimcheck
