// @brief Batch ingest and JSONL load. Tested by ingest_test.cc and tests/cli/ingest_*.sh.
#include "core/ingest.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/extractor.h"
#include "core/jsonl.h"
#include "core/pubdate.h"

namespace claimcheck {
namespace fs = std::filesystem;

namespace {

// What a worker hands to the writer for one file.
struct Result {
  enum Kind { kStore, kUnchanged, kFailed } kind = kFailed;
  size_t index = 0;
  std::string reason;   // kFailed
  std::string warning;  // kStore: non-fatal sidecar problem
  ArticleRow row;
  std::vector<Claim> claims;
};

// A bounded multi-producer, single-consumer queue.
class Queue {
 public:
  explicit Queue(size_t cap) : cap_(cap) {}
  // False when the queue was closed (the writer gave up).
  bool push(Result r) {
    std::unique_lock<std::mutex> lk(m_);
    not_full_.wait(lk, [&] { return closed_ || q_.size() < cap_; });
    if (closed_) return false;
    q_.push_back(std::move(r));
    not_empty_.notify_one();
    return true;
  }
  // Waits up to `wait`; nullopt on timeout or when finished and empty.
  std::optional<Result> pop(std::chrono::milliseconds wait) {
    std::unique_lock<std::mutex> lk(m_);
    not_empty_.wait_for(lk, wait, [&] { return !q_.empty() || producers_ == 0; });
    if (q_.empty()) return std::nullopt;
    Result r = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return r;
  }
  bool finished() {
    std::lock_guard<std::mutex> lk(m_);
    return producers_ == 0 && q_.empty();
  }
  void set_producers(int n) {
    std::lock_guard<std::mutex> lk(m_);
    producers_ = n;
  }
  void producer_done() {
    std::lock_guard<std::mutex> lk(m_);
    --producers_;
    not_empty_.notify_all();
  }
  void close() {
    std::lock_guard<std::mutex> lk(m_);
    closed_ = true;
    q_.clear();
    not_full_.notify_all();
  }

 private:
  std::mutex m_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Result> q_;
  size_t cap_;
  int producers_ = 0;
  bool closed_ = false;
};

bool read_bytes(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  // Block reads (istreambuf_iterator appends a byte at a time).
  out->clear();
  std::error_code ec;
  if (const auto size = fs::file_size(path, ec); !ec) out->reserve(static_cast<size_t>(size));
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) out->append(buf, static_cast<size_t>(in.gcount()));
  return !in.bad();
}

std::string sidecar_path(const std::string& path) {
  return (fs::path(path).parent_path() / (article_id(path) + ".meta.json")).string();
}

std::string content_hash(const std::string& text, const std::optional<std::string>& sidecar) {
  Fnv1a64 h;
  h.update(text);
  if (sidecar) {
    h.update(std::string_view("\0sidecar\0", 9));
    h.update(*sidecar);
  }
  return h.hex();
}

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

std::string absolute_key(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  if (ec) p = path;
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

Walk walk_inputs(const std::vector<std::string>& inputs) {
  Walk w;
  for (const auto& a : inputs) {
    std::error_code ec;
    if (fs::is_directory(a, ec)) {
      w.roots.push_back(absolute_key(a));
      for (auto it = fs::recursive_directory_iterator(a, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code ec2;
        if (it->path().extension() == ".txt" && it->is_regular_file(ec2)) {
          WalkItem item;
          item.display = it->path().string();
          item.key = absolute_key(item.display);
          item.size = it->file_size(ec2);
          w.items.push_back(std::move(item));
        }
      }
    } else {
      WalkItem item;
      item.display = a;
      item.key = absolute_key(a);
      item.size = fs::file_size(a, ec);
      if (ec) item.size = 0;
      w.items.push_back(std::move(item));
    }
  }
  std::sort(w.items.begin(), w.items.end(), [](const WalkItem& x, const WalkItem& y) { return x.key < y.key; });
  w.items.erase(std::unique(w.items.begin(), w.items.end(),
                            [](const WalkItem& x, const WalkItem& y) { return x.key == y.key; }),
                w.items.end());
  std::sort(w.roots.begin(), w.roots.end());
  w.roots.erase(std::unique(w.roots.begin(), w.roots.end()), w.roots.end());
  return w;
}

IngestSummary ingest(const std::vector<std::string>& inputs, const RuleSet& rules, Store& store,
                     const IngestOptions& opt, const IngestEvents& events) {
  auto t0 = std::chrono::steady_clock::now();
  IngestSummary sum;
  Walk walk = walk_inputs(inputs);
  sum.files = walk.items.size();
  uint64_t bytes_total = 0;
  for (const auto& it : walk.items) bytes_total += it.size;

  // What the database already holds for these files, and what vanished.
  std::unordered_map<std::string, std::string> known;
  std::vector<std::string> missing;
  try {
    auto walked = [&](const std::string& key) {
      return std::binary_search(walk.items.begin(), walk.items.end(), key,
                                [](const auto& a, const auto& b) {
                                  if constexpr (std::is_same_v<std::decay_t<decltype(a)>, WalkItem>) return a.key < b;
                                  else return a < b.key;
                                });
    };
    for (const auto& root : walk.roots)
      store.for_each_under(root, [&](std::string path, std::string hash) {
        std::error_code ec;
        if (walked(path)) known.emplace(std::move(path), std::move(hash));
        else if (!fs::exists(path, ec)) missing.push_back(std::move(path));
      });
    for (const auto& it : walk.items)
      if (!known.count(it.key))
        if (auto h = store.article_hash(it.key)) known.emplace(it.key, *h);
  } catch (const SQLite::Exception& e) {
    throw DbError(describe_sqlite_error(e, store.busy_ms()));
  }

  int threads = opt.threads > 0 ? opt.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::max(1, std::min<int>(threads, static_cast<int>(std::max<size_t>(1, walk.items.size()))));
  // The queue holds twice a batch, so that the workers keep extracting
  // while the writer stores and commits one (a commit of 512 articles takes
  // a tenth of a second or more; with room for only 128 results, the
  // workers stood idle through it).
  const size_t batch_size = std::max<size_t>(opt.batch, 1);
  Queue queue(opt.queue ? std::max<size_t>(opt.queue, 2) : std::clamp<size_t>(2 * batch_size, 128, 4096));
  queue.set_producers(threads);
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  Extractor ex(rules);

  auto work = [&] {
    for (size_t i; !stop && (i = next++) < walk.items.size();) {
      const WalkItem& item = walk.items[i];
      Result r;
      r.index = i;
      try {
        if (item.display == "-") {
          r.kind = Result::kFailed;
          r.reason = "ingest reads files, not standard input (save it to a file, or use extract)";
          if (!queue.push(std::move(r))) break;
          continue;
        }
        std::optional<std::string> side;
        std::string sp = sidecar_path(item.display), sb;
        std::error_code ec;
        if (fs::exists(sp, ec) && read_bytes(sp, &sb)) side = std::move(sb);
        auto k = known.find(item.key);
        std::string text;
        if (k != known.end() && !opt.force && item.size <= opt.load.max_bytes && read_bytes(item.display, &text) &&
            content_hash(text, side) == k->second) {
          r.kind = Result::kUnchanged;
        } else {
          text.clear();
          text.shrink_to_fit();
          Article a;
          std::string err;
          if (!load_article(item.display, opt.load, &a, &err)) {
            r.kind = Result::kFailed;
            r.reason = err;
          } else {
            r.kind = Result::kStore;
            r.warning = a.warning;
            r.row.path = item.key;
            r.row.ident = a.meta.id;
            r.row.origin = "ingest";
            r.row.hash = content_hash(a.doc.original, side);
            r.row.bytes = static_cast<long long>(a.doc.original.size());
            r.row.source = a.meta.source;
            r.row.published = a.meta.published;
            r.row.published_from = a.meta.published_from;
            r.row.language = a.meta.language;
            r.row.translated = a.meta.translated;
            r.claims = ex.extract(a.doc, a.meta);
          }
        }
      } catch (const std::exception& e) {
        r = Result{};
        r.index = i;
        r.kind = Result::kFailed;
        r.reason = std::string("internal error (") + e.what() + "; please report it)";
      }
      if (!queue.push(std::move(r))) break;
    }
    queue.producer_done();
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work);

  IngestProgress prog;
  prog.total = walk.items.size();
  prog.bytes_total = bytes_total;
  std::vector<Result> batch;
  auto batch_started = std::chrono::steady_clock::now();
  auto last_progress = t0 - std::chrono::seconds(1);  // the first report comes at once
  auto flush = [&] {
    if (batch.empty()) return;
    store.begin();
    size_t ins = 0, rep = 0, unch = 0;
    long long claims = 0;
    try {
      for (const Result& r : batch) {
        switch (store.put_article(r.row, r.claims, opt.force)) {
          case Store::Put::kInserted: ++ins; claims += static_cast<long long>(r.claims.size()); break;
          case Store::Put::kReplaced: ++rep; claims += static_cast<long long>(r.claims.size()); break;
          case Store::Put::kUnchanged: ++unch; break;
        }
      }
    } catch (...) {
      store.rollback();
      throw;
    }
    store.commit();
    sum.inserted += ins;
    sum.replaced += rep;
    sum.unchanged += unch;
    sum.claims += claims;
    batch.clear();
  };
  try {
    while (!queue.finished()) {
      auto r = queue.pop(std::chrono::milliseconds(100));
      if (r) {
        const WalkItem& item = walk.items[r->index];
        ++prog.done;
        prog.bytes_done += item.size;
        sum.bytes += item.size;
        if (r->kind == Result::kFailed) {
          ++sum.failed;
          if (events.failed) events.failed(item.display, r->reason);
        } else if (r->kind == Result::kUnchanged) {
          ++sum.unchanged;
        } else {
          if (!r->warning.empty() && events.warning) events.warning(item.display, r->warning);
          if (batch.empty()) batch_started = std::chrono::steady_clock::now();
          batch.push_back(std::move(*r));
        }
      }
      if (batch.size() >= batch_size || (!batch.empty() && since(batch_started) > 1.0)) flush();
      if (events.progress && since(last_progress) > 0.2) {
        last_progress = std::chrono::steady_clock::now();
        prog.seconds = since(t0);
        events.progress(prog);
      }
    }
    flush();
    if (!missing.empty()) {
      if (opt.prune) {
        store.begin();
        try {
          for (const auto& p : missing) sum.pruned += store.remove_article(p) ? 1 : 0;
        } catch (...) {
          store.rollback();
          throw;
        }
        store.commit();
      }
      sum.missing = missing.size();
      if (events.missing)
        for (const auto& p : missing) events.missing(p, opt.prune);
    }
  } catch (...) {
    stop = true;
    queue.close();
    for (auto& t : pool) t.join();
    throw;
  }
  for (auto& t : pool) t.join();
  sum.seconds = since(t0);
  return sum;
}

bool load_claims(const std::string& file, Store& store, const std::function<void(size_t, const std::string&)>& bad,
                 LoadSummary* sum, std::string* error) {
  auto t0 = std::chrono::steady_clock::now();
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    *error = "is a directory (give the .jsonl file `claimcheck extract` wrote)";
    return false;
  }
  if (!in) {
    *error = fs::exists(file, ec) ? "cannot read (check permissions)" : "no such file";
    return false;
  }
  struct Group {
    std::vector<Claim> claims;
    Fnv1a64 hash;
    long long bytes = 0;
  };
  std::map<std::string, Group> groups;
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    ++sum->lines;
    try {
      Claim c = claim_from_json(nlohmann::json::parse(line));
      Group& g = groups[c.article];
      g.hash.update(line);
      g.hash.update("\n");
      g.bytes += static_cast<long long>(line.size()) + 1;
      g.claims.push_back(std::move(c));
    } catch (const nlohmann::json::parse_error& e) {
      ++sum->bad;
      std::string what = e.what();
      auto p = what.find("]: ");
      if (bad) bad(lineno, "not valid JSON (" + (p == std::string::npos ? what : what.substr(p + 3)) + ")");
    } catch (const std::exception& e) {
      ++sum->bad;
      if (bad) bad(lineno, std::string("not a claim record: ") + e.what());
    }
  }
  if (in.bad()) {
    *error = "read error";
    return false;
  }
  size_t in_batch = 0;
  store.begin();
  try {
    for (const auto& [id, g] : groups) {
      ArticleRow row;
      row.path = id;
      row.ident = id;
      row.origin = "load";
      row.hash = g.hash.hex();
      row.bytes = g.bytes;
      switch (store.put_article(row, g.claims)) {
        case Store::Put::kInserted: ++sum->inserted; sum->claims += static_cast<long long>(g.claims.size()); break;
        case Store::Put::kReplaced: ++sum->replaced; sum->claims += static_cast<long long>(g.claims.size()); break;
        case Store::Put::kUnchanged: ++sum->unchanged; break;
      }
      if (++in_batch == 64) {
        store.commit();
        store.begin();
        in_batch = 0;
      }
    }
  } catch (...) {
    store.rollback();
    throw;
  }
  store.commit();
  sum->seconds = since(t0);
  return true;
}

}  // namespace claimcheck
