// @brief Reader for rule tables: tab-separated files with a FORMAT and COLUMNS header.
//
//   FORMAT: claimcheck-table/1
//   COLUMNS: alias<TAB>id<TAB>match<TAB>confidence
//   # comment
//   Russell 2000<TAB>RUT<TAB>i<TAB>1.0
//
// load() checks the header, that the declared columns contain the ones the
// caller needs, and that every data line has exactly as many cells as declared.
// Errors name file:line and what to do.
#pragma once

#include <string>
#include <vector>

namespace claimcheck {

class Table {
 public:
  struct Row {
    int line = 0;
    std::vector<std::string> cells;  // in the order the caller asked for
  };

  bool load(const std::string& path, const std::vector<std::string>& wanted, std::string* error);
  // Parses text already in memory; `path` is used in messages only.
  bool parse(const std::string& path, const std::string& text,
             const std::vector<std::string>& wanted, std::string* error);
  const std::vector<Row>& rows() const { return rows_; }

 private:
  std::vector<Row> rows_;
};

bool read_file(const std::string& path, std::string* out, std::string* error);
std::vector<std::string> split(const std::string& s, char sep);
std::string trim(const std::string& s);

}  // namespace claimcheck
