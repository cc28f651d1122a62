// @brief Conflicts and reviews in SQLite. Tested by conflict_store_test.cc.
#include "core/conflict_store.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <sqlite3.h>

#include "core/jsonl.h"
#include "core/report.h"

namespace claimcheck {
namespace fs = std::filesystem;
namespace {

std::string col(SQLite::Statement& q, int i) { return q.getColumn(i).isNull() ? "" : q.getColumn(i).getString(); }

std::unordered_map<std::string, Review> load_reviews(Store& store) {
  std::unordered_map<std::string, Review> out;
  SQLite::Statement q(store.db(), "SELECT fingerprint, status, note FROM reviews");
  while (q.executeStep()) out[col(q, 0)] = Review{col(q, 1), col(q, 2)};
  return out;
}

// The claim columns check_database reads, in claim_from_row's order.
constexpr const char* kClaimColumns =
    "article, start, end, quote, subject, metric, value, unit, qualifier, lo, hi, period_start, period_end, as_of,"
    " as_of_basis, basis, event_date, record, confidence, rule, flags, alt_event_date, alt_value, text";

// A query read through SQLite's C API. Every claim of the database passes
// through the check's reading loop, where SQLiteCpp's Column (a shared
// pointer copied per value, two per text column) cost more than SQLite.
class RawQuery {
 public:
  RawQuery(SQLite::Database& db, const std::string& sql) {
    const int rc = sqlite3_prepare_v2(db.getHandle(), sql.c_str(), -1, &st_, nullptr);
    if (rc != SQLITE_OK) throw SQLite::Exception(db.getHandle(), rc);
  }
  RawQuery(const RawQuery&) = delete;
  RawQuery& operator=(const RawQuery&) = delete;
  ~RawQuery() { sqlite3_finalize(st_); }
  bool step() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SQLite::Exception(sqlite3_db_handle(st_), rc);
  }
  std::string text(int i) const {  // "" for NULL
    const auto* p = sqlite3_column_text(st_, i);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(st_, i))) : "";
  }
  long long int64(int i) const { return sqlite3_column_int64(st_, i); }
  double real(int i) const { return sqlite3_column_double(st_, i); }
  bool null(int i) const { return sqlite3_column_type(st_, i) == SQLITE_NULL; }
  // The text lives in `v` until the statement is reset or bound again.
  void bind_text(int i, const std::string& v) {
    const int rc = sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    if (rc != SQLITE_OK) throw SQLite::Exception(sqlite3_db_handle(st_), rc);
  }
  void reset() { sqlite3_reset(st_); }

 private:
  sqlite3_stmt* st_ = nullptr;
};

Claim claim_from_row(const RawQuery& q, int first) {
  Claim c;
  int i = first;
  c.article = q.text(i++);
  c.start = q.int64(i++);
  c.end = q.int64(i++);
  c.quote = q.text(i++);
  c.subject = q.text(i++);
  c.metric = q.text(i++);
  c.value = q.real(i++);
  c.unit = q.text(i++);
  c.qualifier = q.text(i++);
  c.lo = q.real(i++);
  c.hi = q.real(i++);
  c.period_start = q.text(i++);
  c.period_end = q.text(i++);
  c.as_of = q.text(i++);
  c.as_of_basis = q.text(i++);
  c.basis = q.text(i++);
  c.event_date = q.text(i++);
  c.record = q.int64(i++) != 0;
  c.confidence = q.real(i++);
  c.rule = q.text(i++);
  if (const std::string flags = q.text(i++); flags != "[]") {  // most claims have none
    try {
      for (const auto& f : nlohmann::json::parse(flags)) c.flags.push_back(f.get<std::string>());
    } catch (...) {
    }
  }
  c.alt_event_date = q.text(i++);
  if (!q.null(i)) c.alt_value = q.real(i);
  ++i;
  c.text = q.text(i++);
  return c;
}

// Every article, keyed by row id, with the date its own context sentences
// give (context_as_of() computed in SQL: the most frequent as_of of its
// "context" claims, the earliest date on a tie).
std::unordered_map<long long, ArticleInfo*> load_articles(Store& store, CheckInput* in) {
  std::unordered_map<long long, ArticleInfo*> arts;
  SQLite::Statement q(store.db(),
                      "SELECT a.id, a.ident, COALESCE(s.name, ''), COALESCE(a.published, ''), a.translated"
                      " FROM articles a LEFT JOIN sources s ON s.id = a.source_id");
  while (q.executeStep()) {
    ArticleInfo info;
    info.id = col(q, 1);
    info.source = col(q, 2);
    info.published = col(q, 3);
    info.translated = q.getColumn(4).getInt() != 0;
    in->articles.push_back(info);
    arts[q.getColumn(0).getInt64()] = &in->articles.back();
  }
  SQLite::Statement ctx(store.db(),
                        "SELECT article_id, as_of, count(*) FROM claims WHERE as_of_basis = 'context' AND as_of <> ''"
                        " GROUP BY article_id, as_of ORDER BY article_id, as_of");
  long long cur = -1;
  int best = 0;
  while (ctx.executeStep()) {
    const long long id = ctx.getColumn(0).getInt64();
    const int n = ctx.getColumn(2).getInt();
    if (id != cur) { cur = id; best = 0; }
    auto it = arts.find(id);
    if (it != arts.end() && n > best) {
      it->second->context_as_of = col(ctx, 1);
      best = n;
    }
  }
  return arts;
}

int worker_count(int threads) {
  if (threads > 0) return threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// The claims of a conflict as its row stores them: each claim record travels
// with its article's outlet and dates, so a report needs no re-extraction.
std::string stored_claims(const Conflict& c) {
  std::string out = "[";
  for (const ClaimRef& r : c.claims) {
    if (out.size() > 1) out.push_back(',');
    append_claim_json(&out, *r.claim, /*close=*/false);
    if (r.article) {
      out.append(",\"source\":");
      json_text::string(&out, r.article->source);
      out.append(",\"published\":");
      json_text::string(&out, r.article->published);
      out.append(",\"context_as_of\":");
      json_text::string(&out, r.article->context_as_of);
      out.append(r.article->translated ? ",\"translated\":true" : ",\"translated\":false");
    }
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

// f(i) for every i in [from, to), on up to `threads` threads (0: one per
// core); the first exception is rethrown here after all threads stopped.
template <class F>
void parallel_for(size_t from, size_t to, int threads, F f) {
  std::atomic<size_t> next{from};
  std::exception_ptr error;
  std::mutex error_mu;
  auto run = [&] {
    try {
      for (size_t i; (i = next.fetch_add(1)) < to;) f(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mu);
      if (!error) error = std::current_exception();
      next = to;
    }
  };
  std::vector<std::thread> pool;
  const int n = to - from < 64 ? 1 : worker_count(threads);
  for (int t = 1; t < n; ++t) pool.emplace_back(run);
  run();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

// Puts conflicts into the conflicts table inside the caller's transaction:
// a fingerprint already stored keeps its row and id, a new one gets a row;
// finish() deletes the rows of the conflicts no longer put.
class ConflictWriter {
 public:
  explicit ConflictWriter(Store& store)
      : store_(store),
        upd_(store.db(),
             "UPDATE conflicts SET kind=?, severity=?, subject=?, metric=?, explanation=?, suggestion=?, claims=?"
             " WHERE id=?"),
        ins_(store.db(),
             "INSERT INTO conflicts(fingerprint, kind, severity, subject, metric, explanation, suggestion, claims,"
             " created_at) VALUES (?,?,?,?,?,?,?,?,?)"),
        now_(utc_now()) {
    SQLite::Statement q(store.db(), "SELECT fingerprint, id, subject, severity FROM conflicts");
    while (q.executeStep()) existing_[col(q, 0)] = Row{q.getColumn(1).getInt64(), col(q, 2), col(q, 3)};
  }
  // `claims` is stored_claims(c); sets c.id.
  void put(Conflict& c, const std::string& claims) {
    const std::string suggestion = c.suggestion.is_null() ? "" : c.suggestion.dump();
    auto bind_common = [&](SQLite::Statement& q, int first) {
      int i = first;
      q.bind(i++, c.kind);
      q.bind(i++, c.severity);
      q.bind(i++, c.subject);
      q.bind(i++, c.metric);
      q.bind(i++, c.explanation);
      if (suggestion.empty()) q.bind(i++);
      else q.bind(i++, suggestion);
      q.bind(i++, claims);
      return i;
    };
    auto it = existing_.find(c.fingerprint);
    if (it != existing_.end()) {
      upd_.reset();
      int i = bind_common(upd_, 1);
      upd_.bind(i, static_cast<int64_t>(it->second.id));
      upd_.exec();
      c.id = it->second.id;
    } else {
      ins_.reset();
      ins_.bind(1, c.fingerprint);
      int i = bind_common(ins_, 2);
      ins_.bind(i, now_);
      ins_.exec();
      c.id = store_.db().getLastInsertRowid();
    }
    kept_.insert(c.fingerprint);
  }
  // Counts by severity the rows of the subjects not in `checked` (null: none),
  // which stand as they were.
  void count_unchecked(const std::unordered_set<std::string>* checked, std::map<std::string, size_t>* by) const {
    if (!checked) return;
    for (const auto& [fp, row] : existing_)
      if (!checked->count(row.subject)) ++(*by)[row.severity];
  }
  // Deletes the rows not put again, of the subjects in `checked` (null: of
  // every subject).
  void finish(const std::unordered_set<std::string>* checked) {
    SQLite::Statement del(store_.db(), "DELETE FROM conflicts WHERE id = ?");
    for (const auto& [fp, row] : existing_)
      if (!kept_.count(fp) && (!checked || checked->count(row.subject))) {
        del.reset();
        del.bind(1, static_cast<int64_t>(row.id));
        del.exec();
      }
  }

 private:
  Store& store_;
  SQLite::Statement upd_, ins_;
  const std::string now_;
  struct Row {
    long long id;
    std::string subject, severity;
  };
  std::unordered_map<std::string, Row> existing_;
  std::unordered_set<std::string> kept_;
};

}  // namespace

std::vector<Conflict> load_conflicts(Store& store, CheckInput* in) {
  // Rows are read a chunk at a time and their claims parsed on worker
  // threads (the JSON parse is nine tenths of the cost), then put in order.
  struct Row {
    Conflict c;
    std::string suggestion, claims;
    std::vector<Claim> parsed;
    std::vector<ArticleInfo> arts;
  };
  auto parse = [](Row& r) {
    if (!r.suggestion.empty()) {
      try { r.c.suggestion = nlohmann::ordered_json::parse(r.suggestion); } catch (...) {}
    }
    try {  // a damaged row keeps the claims read before the damage
      for (const auto& j : nlohmann::json::parse(r.claims)) {
        r.parsed.push_back(claim_from_json(j));
        ArticleInfo a;
        a.id = r.parsed.back().article;
        a.source = j.value("source", std::string());
        a.published = j.value("published", std::string());
        a.context_as_of = j.value("context_as_of", std::string());
        a.translated = j.value("translated", false);
        r.arts.push_back(a);
      }
    } catch (...) {
    }
  };
  constexpr size_t kChunk = 2048;
  const auto reviews = load_reviews(store);
  std::vector<Conflict> out;
  SQLite::Statement q(store.db(),
                      "SELECT id, fingerprint, kind, severity, subject, metric, explanation, suggestion, claims"
                      " FROM conflicts"
                      " ORDER BY CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, id");
  for (bool more = true; more;) {
    std::vector<Row> rows;
    while (rows.size() < kChunk && (more = q.executeStep())) {
      Row r;
      r.c.id = q.getColumn(0).getInt64();
      r.c.fingerprint = col(q, 1);
      r.c.kind = col(q, 2);
      r.c.severity = col(q, 3);
      r.c.subject = col(q, 4);
      r.c.metric = col(q, 5);
      r.c.explanation = col(q, 6);
      r.suggestion = col(q, 7);
      r.claims = col(q, 8);
      rows.push_back(std::move(r));
    }
    parallel_for(0, rows.size(), 0, [&rows, &parse](size_t i) { parse(rows[i]); });
    for (Row& r : rows) {
      for (size_t k = 0; k < r.parsed.size(); ++k) {
        in->claims.push_back(std::move(r.parsed[k]));
        in->articles.push_back(std::move(r.arts[k]));
        r.c.claims.push_back({&in->claims.back(), &in->articles.back()});
      }
      r.c.fact = r.c.subject + " " + r.c.metric;
      out.push_back(std::move(r.c));
    }
  }
  apply_reviews(&out, reviews);
  return out;
}

std::string check_signature(const std::string& rules_dir) {
  // The running binary (where /proc/self/exe reads), then every rule file
  // with its name, in name order.
  Fnv1a64 h;
  auto add_file = [&h](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) h.update(std::string_view(buf, static_cast<size_t>(in.gcount())));
    return !in.bad() && in.eof();
  };
  std::error_code ec;
  if (!add_file("/proc/self/exe")) return "";
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(rules_dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file(ec)) files.push_back(it->path());
  if (ec) return "";
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    h.update(std::string_view("\0file\0", 6));
    h.update(fs::relative(f, rules_dir, ec).generic_string());
    if (!add_file(f)) return "";
  }
  return h.hex();
}

CheckSummary check_database(Store& store, const CheckOptions& opt, int threads, const CheckScope& scope) {
  // Facts never span subjects: read the claims ordered by subject and check
  // one subject at a time. This thread reads and writes; workers run
  // find_conflicts and serialize each conflict's claims; results are written
  // in subject order as soon as they are next, and then dropped.
  struct Batch {
    size_t seq = 0;
    std::deque<Claim> claims;
    std::vector<ClaimRef> refs;
    std::vector<long long> article_ids;  // of refs[i]
  };
  struct Done {
    std::vector<Conflict> conflicts;
    std::vector<std::string> json;
  };
  const size_t workers = static_cast<size_t>(worker_count(threads));
  const size_t max_queued = 1;  // with the batches in work: workers + 2 subjects in memory
  std::mutex mu;
  std::condition_variable has_work, has_room;
  std::deque<Batch> queue;
  bool closed = false;
  std::map<size_t, Done> done;  // finished, not yet written
  std::exception_ptr error;

  auto work = [&] {
    for (;;) {
      Batch b;
      {
        std::unique_lock<std::mutex> lock(mu);
        has_work.wait(lock, [&] { return !queue.empty() || closed; });
        if (queue.empty()) return;
        b = std::move(queue.front());
        queue.pop_front();
      }
      has_room.notify_one();
      Done d;
      try {
        // The claims live in the batch, which this worker owns until the
        // conflicts are serialized.
        // A subject's claims by article and place in it. They come in the
        // order of the claims_fact index (metric, basis, as_of, row id), which
        // the stable sort keeps among claims at one place; sorting here rather
        // than in SQL spares the reading thread a sort of whole rows.
        std::vector<size_t> order(b.refs.size());
        std::iota(order.begin(), order.end(), size_t{0});
        std::stable_sort(order.begin(), order.end(), [&b](size_t x, size_t y) {
          if (b.article_ids[x] != b.article_ids[y]) return b.article_ids[x] < b.article_ids[y];
          return b.refs[x].claim->start < b.refs[y].claim->start;
        });
        std::vector<ClaimRef> refs;
        refs.reserve(order.size());
        for (size_t x : order) refs.push_back(b.refs[x]);
        d.conflicts = find_conflicts(refs, opt);
        for (const Conflict& c : d.conflicts) d.json.push_back(stored_claims(c));
        for (Conflict& c : d.conflicts) c.claims.clear();
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mu);
      done.emplace(b.seq, std::move(d));
    }
  };
  std::vector<std::thread> pool;
  auto finish = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      closed = true;
    }
    has_work.notify_all();
    for (auto& t : pool) t.join();
    pool.clear();
  };

  CheckSummary sum;
  CheckInput in;  // owns the articles
  store.begin();
  try {
    const bool tracks = store.has_check_tables();
    // Every subject, or only those marked since the last check when that
    // check ran with the same binary and rules.
    sum.full = !(scope.incremental && tracks && !scope.signature.empty() &&
                 store.meta("check_signature") == std::optional<std::string>(scope.signature));
    std::vector<std::string> subjects;
    {
      SQLite::Statement q(store.db(), sum.full ? "SELECT DISTINCT subject FROM claims ORDER BY subject"
                                               : "SELECT subject FROM dirty_subjects ORDER BY subject");
      while (q.executeStep()) subjects.push_back(col(q, 0));
    }
    sum.subjects = subjects.size();
    // (Nothing to read: no article dates either, which cost a pass over the claims.)
    const auto arts = subjects.empty() ? std::unordered_map<long long, ArticleInfo*>{} : load_articles(store, &in);
    ConflictWriter w(store);
    size_t next_write = 0;
    // Writes the finished subjects that are next in order.
    auto write_ready = [&] {
      for (;;) {
        Done d;
        {
          std::lock_guard<std::mutex> lock(mu);
          if (error) std::rethrow_exception(error);
          auto it = done.find(next_write);
          if (it == done.end()) return;
          d = std::move(it->second);
          done.erase(it);
        }
        for (size_t k = 0; k < d.conflicts.size(); ++k) {
          w.put(d.conflicts[k], d.json[k]);
          ++sum.found;
          ++sum.by_severity[d.conflicts[k].severity];
        }
        ++next_write;
      }
    };
    for (size_t t = 0; t < workers; ++t) pool.emplace_back(work);
    {
      // In the order of the claims_fact index (no sort in SQL): the workers
      // sort each subject's claims by article and start.
      RawQuery q(store.db(), std::string("SELECT article_id, ") + kClaimColumns +
                                 " FROM claims WHERE subject = ?1 ORDER BY metric, basis, as_of, id");
      Batch batch;
      auto flush = [&] {
        if (batch.refs.empty()) return;
        const size_t seq = batch.seq;
        {
          std::unique_lock<std::mutex> lock(mu);
          has_room.wait(lock, [&] { return queue.size() < max_queued; });
          queue.push_back(std::move(batch));
        }
        has_work.notify_one();
        batch = Batch{};
        batch.seq = seq + 1;
        write_ready();
      };
      for (const std::string& subject : subjects) {
        q.bind_text(1, subject);
        while (q.step()) {
          const long long article_id = q.int64(0);
          auto a = arts.find(article_id);
          batch.claims.push_back(claim_from_row(q, 1));
          batch.refs.push_back({&batch.claims.back(), a == arts.end() ? nullptr : a->second});
          batch.article_ids.push_back(article_id);
          ++sum.checked;
        }
        q.reset();
        flush();
      }
    }
    finish();
    write_ready();
    // The totals: what was found, and the rows of the subjects not checked.
    if (sum.full) {
      w.finish(nullptr);
    } else {
      const std::unordered_set<std::string> checked(subjects.begin(), subjects.end());
      w.finish(&checked);
      w.count_unchecked(&checked, &sum.by_severity);
    }
    for (const auto& [severity, n] : sum.by_severity) sum.conflicts += n;
    if (tracks) {
      store.db().exec("DELETE FROM dirty_subjects");
      if (!scope.signature.empty()) store.set_meta("check_signature", scope.signature);
    }
    store.commit();
  } catch (...) {
    finish();
    store.rollback();
    throw;
  }
  return sum;
}

bool set_review(Store& store, long long id, const std::string& status, const std::string& note) {
  SQLite::Statement q(store.db(), "SELECT fingerprint FROM conflicts WHERE id = ?");
  q.bind(1, static_cast<int64_t>(id));
  if (!q.executeStep()) return false;
  const std::string fp = col(q, 0);
  store.begin();
  try {
    SQLite::Statement up(store.db(),
                         "INSERT INTO reviews(fingerprint, status, note, decided_at) VALUES (?,?,?,?)"
                         " ON CONFLICT(fingerprint) DO UPDATE SET status=excluded.status, note=excluded.note,"
                         " decided_at=excluded.decided_at");
    up.bind(1, fp);
    up.bind(2, status);
    up.bind(3, note);
    up.bind(4, utc_now());
    up.exec();
    store.commit();
  } catch (...) {
    store.rollback();
    throw;
  }
  return true;
}

}  // namespace claimcheck
