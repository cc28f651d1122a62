// @brief What the database subcommands (ingest, load, query, bench-ingest) share.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>

#include "core/store.h"

namespace claimcheck::cli {

inline const char* kDefaultDb = "db/claims.sqlite";

// "claimcheck: DBFILE: reason and what to do" on stderr.
inline void report_db_error(const std::string& file, const std::string& reason) {
  std::cerr << "claimcheck: " << file << ": " << reason << "\n";
}

// Creates the database's folder if missing; false (message printed) if it cannot.
inline bool make_db_folder(const std::string& file) {
  std::filesystem::path parent = std::filesystem::path(file).parent_path();
  if (parent.empty()) return true;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    report_db_error(file, "cannot create the folder " + parent.string() + " (" + ec.message() +
                              "); create it or give another --db");
    return false;
  }
  return true;
}

inline bool stderr_is_terminal() { return isatty(2) == 1; }

}  // namespace claimcheck::cli
