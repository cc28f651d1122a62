// @brief The claims database: schema migrations, one writer's API, error messages.
//
// The schema lives in db/migrations/NNNN_name.sql (embedded at build time by
// scripts/embed_migrations.cmake, see migrations()). A
// database records its version in PRAGMA user_version; open() applies every
// pending migration in one transaction and refuses a newer database.
//
// Every SQLite problem leaves as a DbError whose what() is one line "reason
// and what to do" (the caller prefixes "claimcheck: DBFILE: ").
//
//   auto store = Store::open("db/claims.sqlite", Store::kReadWrite);
//   store->begin();                                   // BEGIN IMMEDIATE
//   store->put_article(row, claims);                  // replaces its claims if changed
//   store->commit();
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "core/claim.h"

namespace claimcheck {

class DbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Turns an SQLite exception into one actionable line.
std::string describe_sqlite_error(const SQLite::Exception& e, int busy_ms);

struct Migration {
  int version;
  std::string name;  // file name in db/migrations/
  std::string sql;
};
const std::vector<Migration>& migrations();
int latest_schema_version();

// FNV-1a 64: the content hash of an article (file bytes, then "\0sidecar\0"
// and the sidecar bytes when there is one).
class Fnv1a64 {
 public:
  void update(std::string_view bytes);
  uint64_t value() const { return h_; }
  std::string hex() const;

 private:
  uint64_t h_ = 0xcbf29ce484222325ull;
};

// One article row as stored.
struct ArticleRow {
  std::string path;            // absolute path (ingest) or article id (load)
  std::string ident;           // the article id (file name without .txt)
  std::string origin = "ingest";
  std::string hash;
  long long bytes = 0;
  std::string source;          // "" = none
  std::string published;       // "" = unknown
  std::string published_from;
  std::string language;
  bool translated = false;
};

class Store {
 public:
  enum Mode { kReadWrite, kReadOnly };
  enum class Put { kInserted, kReplaced, kUnchanged };

  // Opens (read-write: creates) the database, sets WAL mode, busy timeout and
  // foreign keys, and migrates it to latest_schema_version() (or up to
  // `target_version` when >= 0: for tests). A read-only store never creates
  // nor migrates; it refuses an older or newer schema. Throws DbError.
  static std::unique_ptr<Store> open(const std::string& file, Mode mode, int busy_ms = 30000, int target_version = -1);

  int schema_version();
  const std::string& file() const { return file_; }
  SQLite::Database& db() { return *db_; }
  int busy_ms() const { return busy_ms_; }

  // Write transactions: BEGIN IMMEDIATE takes the write lock up front (waits
  // up to busy_ms for another writer), so a batch never fails half-way on a lock.
  void begin();
  void commit();
  void rollback() noexcept;

  // Inside a transaction: inserts the article with its claims, or when the
  // path is known with another hash (or `force`) replaces its row in place and
  // all its claims; the same hash leaves everything as is.
  Put put_article(const ArticleRow& row, const std::vector<Claim>& claims, bool force = false);
  // Hash stored for a path, if any.
  std::optional<std::string> article_hash(const std::string& path);
  // Inside a transaction: deletes an article and its claims. False if absent.
  bool remove_article(const std::string& path);
  // Paths of ingested articles under folder `dir` (absolute, no trailing /), sorted.
  // Calls fn(path, hash) for each.
  template <class Fn>
  void for_each_under(const std::string& dir, Fn fn) {
    SQLite::Statement q(*db_, "SELECT path, hash FROM articles WHERE origin = 'ingest' AND path >= ? AND path < ? ORDER BY path");
    q.bind(1, dir + "/");
    q.bind(2, dir + "0");  // '0' follows '/'
    while (q.executeStep()) fn(q.getColumn(0).getString(), q.getColumn(1).getString());
  }
  long long count(const std::string& table);

  // The meta table (schema 3): a value by key, or nullopt.
  std::optional<std::string> meta(const std::string& key);
  void set_meta(const std::string& key, const std::string& value);
  // Schema 3 or later: dirty_subjects and meta exist (a read-write store is
  // always migrated there; tests may open an older one).
  bool has_check_tables() const { return has_check_tables_; }

 private:
  Store() = default;
  long long source_id(const std::string& name);
  void insert_claims(long long article_id, const std::vector<Claim>& claims);
  // Marks for the next check the subjects of these claims, and of the stored
  // claims of article `id` (when >= 0), in dirty_subjects.
  void mark_dirty(const std::vector<Claim>& claims, long long id);

  std::string file_;
  int busy_ms_ = 30000;
  bool in_tx_ = false;
  bool has_check_tables_ = false;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<SQLite::Statement> find_article_, insert_article_, update_article_, delete_claims_, insert_claim_,
      find_source_, insert_source_, mark_subject_, mark_article_;
  // Subjects marked in the open transaction (a mark is one INSERT per
  // subject and transaction, not per claim); cleared when it ends.
  std::unordered_set<std::string> marked_;
};

// Applies the pending migrations up to `target` (latest when < 0) in one
// transaction. Throws DbError for a newer database.
void migrate(SQLite::Database& db, const std::string& file, int target = -1);

std::string utc_now();

}  // namespace claimcheck
