// @brief Batch ingest into the claims database: walk, extract on worker
// threads, store from one writer; and loading claim records from JSON lines.
//
// Workers take files in path order, hash them (FNV-1a 64 of the file bytes and
// the sidecar's), skip the unchanged ones, extract the others and hand the
// claims to the calling thread through a bounded queue; that thread writes one
// transaction per batch of articles, so an article is never half-stored and
// memory stays flat in corpus size (only the file list is held, ~200 bytes a
// file). Tested by ingest_test.cc and tests/cli/ingest_*.sh.
//
//   auto store = Store::open("db/claims.sqlite", Store::kReadWrite);
//   IngestSummary s = ingest({"corpus"}, rules, *store, IngestOptions{}, IngestEvents{});
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/article.h"
#include "core/ruleset.h"
#include "core/store.h"

namespace claimcheck {

struct IngestOptions {
  int threads = 0;      // extraction threads; 0 = all cores
  size_t batch = 512;   // articles per transaction
  size_t queue = 0;     // results waiting for the writer, at most; 0: twice the batch (128-4096)
  bool prune = false;   // delete articles whose file vanished from a walked folder
  bool force = false;   // re-extract unchanged files too
  LoadOptions load;
};

struct IngestProgress {
  size_t done = 0, total = 0;
  uint64_t bytes_done = 0, bytes_total = 0;
  double seconds = 0;
};

struct IngestSummary {
  size_t files = 0;        // article files found
  size_t inserted = 0;     // new articles stored
  size_t replaced = 0;     // changed articles whose claims were replaced
  size_t unchanged = 0;    // skipped: same content hash
  size_t failed = 0;       // unreadable, invalid UTF-8, too large...
  long long claims = 0;    // claims stored by this run
  size_t missing = 0;      // in the database under a walked folder, gone from disk
  size_t pruned = 0;       // of those, deleted (--prune)
  uint64_t bytes = 0;      // article bytes read
  double seconds = 0;
};

// Callbacks, all called from the calling (writer) thread.
struct IngestEvents {
  std::function<void(const std::string& path, const std::string& reason)> failed;
  std::function<void(const std::string& path, const std::string& warning)> warning;
  std::function<void(const std::string& path, bool pruned)> missing;
  std::function<void(const IngestProgress&)> progress;  // about every 200 ms
};

// An article file found by the walk.
struct WalkItem {
  std::string display;  // as the user would write it (relative if given relative)
  std::string key;      // absolute, normalized: the articles.path
  uint64_t size = 0;
};
struct Walk {
  std::vector<WalkItem> items;  // sorted by key, no duplicates
  std::vector<std::string> roots;  // walked folders, absolute, normalized
};
// Folders are walked recursively for .txt files; other arguments are taken as
// files (a missing one is reported when it is read).
Walk walk_inputs(const std::vector<std::string>& inputs);
std::string absolute_key(const std::string& path);

// Throws DbError on a database problem; the batch being written is rolled back.
IngestSummary ingest(const std::vector<std::string>& inputs, const RuleSet& rules, Store& store,
                     const IngestOptions& opt, const IngestEvents& events);

struct LoadSummary {
  size_t lines = 0;         // non-blank lines read
  size_t bad = 0;           // lines skipped (not a valid claim record)
  size_t inserted = 0, replaced = 0, unchanged = 0;  // articles
  long long claims = 0;     // claims stored
  double seconds = 0;
};

// Loads claim records (JSON lines as `claimcheck extract` prints them). One
// article row per distinct "article" id, path = the id, hash = FNV-1a 64 of
// its lines: loading the same file again changes nothing. A bad line is
// reported as bad(line_number, reason) and skipped. False (with *error) when
// the file cannot be read. Throws DbError.
bool load_claims(const std::string& file, Store& store, const std::function<void(size_t, const std::string&)>& bad,
                 LoadSummary* summary, std::string* error);

}  // namespace claimcheck
