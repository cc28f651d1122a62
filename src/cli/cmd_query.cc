// @brief `claimcheck query NAME|SQL`: read the database (never change it).
#include <sqlite3.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "cli/db_util.h"

namespace claimcheck::cli {

namespace {

struct Named {
  const char* sql;
  const char* help;
};

const std::map<std::string, Named>& named_queries() {
  static const std::map<std::string, Named> q = {
      {"claims",
       {"SELECT path, start, end, subject, metric, value, unit, qualifier, as_of, basis, event_date, record,"
        " confidence, rule, flags, quote FROM claims_with_article"
        " WHERE (?1 IS NULL OR subject = ?1) ORDER BY path, start, end, id",
        "every claim with its article (--subject RUT: one subject)"}},
      {"articles",
       {"SELECT a.path, s.name AS source, a.published, a.language, a.translated, a.origin,"
        " (SELECT COUNT(*) FROM claims c WHERE c.article_id = a.id) AS claims, a.bytes, a.hash, a.ingested_at"
        " FROM articles a LEFT JOIN sources s ON s.id = a.source_id ORDER BY a.path",
        "every article: source, publication date, number of claims"}},
      {"sources",
       {"SELECT s.name AS source, COUNT(DISTINCT a.id) AS articles, COUNT(c.id) AS claims"
        " FROM sources s LEFT JOIN articles a ON a.source_id = s.id LEFT JOIN claims c ON c.article_id = a.id"
        " GROUP BY s.id ORDER BY s.name",
        "every source with its number of articles and claims"}},
      {"facts",
       {"SELECT subject, metric, basis, as_of, claims, articles, min_value, max_value FROM facts"
        " ORDER BY subject, metric, basis, as_of",
        "claims grouped by subject, metric, basis and as_of, with min and max value"}},
  };
  return q;
}

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

std::string cell_text(sqlite3_stmt* st, int i, bool* is_null) {
  *is_null = false;
  switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL: *is_null = true; return "";
    case SQLITE_INTEGER: return std::to_string(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT: return num(sqlite3_column_double(st, i));
    default: {
      const unsigned char* t = sqlite3_column_text(st, i);
      return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(st, i))) : "";
    }
  }
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) {
    if (c == '"') o += '"';
    o += c;
  }
  return o + "\"";
}

// Width in code points, for table alignment.
size_t width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string clip(const std::string& s, size_t max) {
  if (width(s) <= max) return s;
  size_t n = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++n > max - 1) break;
  }
  return s.substr(0, i) + "\xE2\x80\xA6";  // …
}

}  // namespace

void add_query(CLI::App& app) {
  std::string names;
  for (const auto& [k, v] : named_queries()) names += "  " + k + std::string(10 - k.size(), ' ') + v.help + "\n";
  auto* cmd = app.add_subcommand(
      "query",
      "Read the claims database: a named query or one SQL statement, on a read-only connection\n"
      "(a statement that would change the database is refused, exit code 2). Tables and views:\n"
      "sources, articles, claims, conflicts, reviews, claims_with_article, facts (docs/database.md).\n"
      "Named queries:\n" + names +
      "  claimcheck query facts\n"
      "  claimcheck query claims --subject RUT --format csv\n"
      "  claimcheck query \"SELECT subject, COUNT(*) FROM claims GROUP BY subject\" --format json");
  static std::string what;
  static std::string db = kDefaultDb;
  static std::string format = "table";
  static std::string subject;
  cmd->add_option("query", what, "a named query or one SQL statement")->required();
  cmd->add_option("--db", db, "database file");
  cmd->add_option("--format", format, "table, csv or json (an array of objects)")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  cmd->add_option("--subject", subject, "claims: only this subject (RUT, SPX, ...)");
  cmd->callback([] {
    auto& nq = named_queries();
    auto named = nq.find(what);
    if (!subject.empty() && (named == nq.end() || what != "claims")) {
      std::cerr << "claimcheck: query: --subject goes with the named query 'claims'\n";
      globals().exit_code = kUsage;
      return;
    }
    std::unique_ptr<Store> store;
    try {
      store = Store::open(db, Store::kReadOnly);
    } catch (const DbError& e) {
      report_db_error(db, e.what());
      globals().exit_code = kDatabase;
      return;
    }
    sqlite3* h = store->db().getHandle();
    const std::string sql = named != nq.end() ? named->second.sql : what;
    sqlite3_stmt* st = nullptr;
    const char* tail = nullptr;
    auto fail = [&](const std::string& msg, int code) {
      if (st) sqlite3_finalize(st);
      std::cerr << "claimcheck: query: " << msg << "\n";
      globals().exit_code = code;
    };
    std::string hint = named == nq.end() ? " (named queries: claims, articles, sources, facts)" : "";
    if (sqlite3_prepare_v2(h, sql.c_str(), static_cast<int>(sql.size()), &st, &tail) != SQLITE_OK)
      return fail(std::string("SQL error: ") + sqlite3_errmsg(h) + hint, kUsage);
    if (!st) return fail("no SQL statement given" + hint, kUsage);
    if (tail && std::string(tail).find_first_not_of(" \t\r\n;") != std::string::npos)
      return fail("one statement at a time, please (found more after the first ';')", kUsage);
    if (!sqlite3_stmt_readonly(st))
      return fail("this statement would change the database; query only reads it (use ingest, load, or sqlite3)",
                  kUsage);
    if (named != nq.end() && what == "claims") {
      if (subject.empty()) sqlite3_bind_null(st, 1);
      else sqlite3_bind_text(st, 1, subject.c_str(), static_cast<int>(subject.size()), SQLITE_TRANSIENT);
    }
    const int n = sqlite3_column_count(st);
    std::vector<std::string> cols;
    for (int i = 0; i < n; ++i) cols.push_back(sqlite3_column_name(st, i) ? sqlite3_column_name(st, i) : "");
    std::ios::sync_with_stdio(false);
    std::vector<std::vector<std::string>> table;  // table format only: widths need every row
    if (format == "csv") {
      for (int i = 0; i < n; ++i) std::cout << (i ? "," : "") << csv_field(cols[static_cast<size_t>(i)]);
      std::cout << "\n";
    } else if (format == "json") {
      std::cout << "[";
    }
    size_t rows = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      bool null;
      if (format == "csv") {
        for (int i = 0; i < n; ++i) std::cout << (i ? "," : "") << csv_field(cell_text(st, i, &null));
        std::cout << "\n";
      } else if (format == "json") {
        nlohmann::ordered_json o;
        for (int i = 0; i < n; ++i) {
          const std::string& c = cols[static_cast<size_t>(i)];
          switch (sqlite3_column_type(st, i)) {
            case SQLITE_NULL: o[c] = nullptr; break;
            case SQLITE_INTEGER: o[c] = sqlite3_column_int64(st, i); break;
            case SQLITE_FLOAT: {
              double v = sqlite3_column_double(st, i);
              if (std::isfinite(v)) o[c] = std::stod(num(v));
              else o[c] = nullptr;
              break;
            }
            default: o[c] = cell_text(st, i, &null);
          }
        }
        std::cout << (rows ? ",\n " : "\n ") << o.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      } else {
        std::vector<std::string> row;
        for (int i = 0; i < n; ++i) {
          std::string t = cell_text(st, i, &null);
          row.push_back(null ? "NULL" : clip(t, 60));
        }
        table.push_back(std::move(row));
      }
      ++rows;
    }
    if (rc != SQLITE_DONE) {
      int code = sqlite3_errcode(h);
      std::string msg = sqlite3_errmsg(h);
      std::cout.flush();
      if (code == SQLITE_READONLY)
        return fail("this statement would change the database; query only reads it (use ingest, load, or sqlite3)",
                    kUsage);
      if (code == SQLITE_BUSY || code == SQLITE_NOTADB || code == SQLITE_CORRUPT || code == SQLITE_IOERR) {
        sqlite3_finalize(st);
        st = nullptr;
        report_db_error(db, describe_sqlite_error(SQLite::Exception(msg, code), store->busy_ms()));
        globals().exit_code = kDatabase;
        return;
      }
      return fail("SQL error: " + msg, kUsage);
    }
    sqlite3_finalize(st);
    st = nullptr;
    if (format == "json") {
      std::cout << (rows ? "\n]\n" : "]\n");
    } else if (format == "table") {
      std::vector<size_t> w(static_cast<size_t>(n));
      for (size_t i = 0; i < w.size(); ++i) w[i] = width(cols[i]);
      for (const auto& r : table)
        for (size_t i = 0; i < w.size(); ++i) w[i] = std::max(w[i], width(r[i]));
      auto print_row = [&](const std::vector<std::string>& r) {
        for (size_t i = 0; i < w.size(); ++i) {
          std::cout << (i ? "  " : "") << r[i];
          if (i + 1 < w.size()) std::cout << std::string(w[i] - width(r[i]), ' ');
        }
        std::cout << "\n";
      };
      print_row(cols);
      std::vector<std::string> rule;
      for (size_t x : w) rule.push_back(std::string(x, '-'));
      print_row(rule);
      for (const auto& r : table) print_row(r);
      if (!globals().quiet) std::cerr << "(" << rows << " row" << (rows == 1 ? "" : "s") << ")\n";
    }
    std::cout.flush();
    globals().exit_code = kOk;
  });
}

}  // namespace claimcheck::cli
