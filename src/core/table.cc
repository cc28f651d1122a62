// @brief Rule table reader. Tested by table_test.cc.
#include "core/table.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace claimcheck {

bool read_file(const std::string& path, std::string* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot open (" + std::strerror(errno) + ")";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = std::move(ss).str();
  return true;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) break;
    start = p + 1;
  }
  return out;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

bool Table::load(const std::string& path, const std::vector<std::string>& wanted,
                 std::string* error) {
  std::string text;
  if (!read_file(path, &text, error)) return false;
  return parse(path, text, wanted, error);
}

bool Table::parse(const std::string& path, const std::string& text,
                  const std::vector<std::string>& wanted, std::string* error) {
  rows_.clear();
  auto fail = [&](int line, const std::string& what) {
    *error = path + ":" + std::to_string(line) + ": " + what;
    return false;
  };
  std::vector<std::string> lines = split(text, '\n');
  if (lines.empty() || trim(lines[0]) != "FORMAT: claimcheck-table/1")
    return fail(1, "first line must be 'FORMAT: claimcheck-table/1'");
  if (lines.size() < 2 || lines[1].rfind("COLUMNS:", 0) != 0)
    return fail(2, "second line must be 'COLUMNS:' followed by tab-separated column names");
  std::vector<std::string> cols = split(trim(lines[1].substr(8)), '\t');
  for (auto& c : cols) c = trim(c);
  std::vector<size_t> index;
  for (const auto& w : wanted) {
    size_t i = 0;
    while (i < cols.size() && cols[i] != w) ++i;
    if (i == cols.size()) return fail(2, "missing column '" + w + "'");
    index.push_back(i);
  }
  for (size_t n = 2; n < lines.size(); ++n) {
    std::string line = lines[n];
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    std::vector<std::string> cells = split(line, '\t');
    if (cells.size() != cols.size())
      return fail(static_cast<int>(n + 1), "expected " + std::to_string(cols.size()) +
                                               " tab-separated cells, found " +
                                               std::to_string(cells.size()));
    Row row;
    row.line = static_cast<int>(n + 1);
    for (size_t i : index) {
      std::string c = trim(cells[i]);
      if (c.empty()) return fail(row.line, "empty cell in column '" + cols[i] + "' (write - for none)");
      row.cells.push_back(c);
    }
    rows_.push_back(std::move(row));
  }
  return true;
}

}  // namespace claimcheck
