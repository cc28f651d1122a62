// @brief Article loading with size, encoding and sidecar checks. Tested by article_test.cc.
#include "core/article.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "core/pubdate.h"

namespace claimcheck {

bool load_article(const std::string& path, const LoadOptions& opt, Article* out, std::string* error) {
  std::string bytes;
  if (path == "-") {
    bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    if (bytes.size() > opt.max_bytes) {
      *error = "standard input is larger than the limit of " + std::to_string(opt.max_bytes >> 20) + " MB (raise --max-size)";
      return false;
    }
  } else {
    std::error_code ec;
    auto st = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(st)) { *error = "no such file"; return false; }
    if (std::filesystem::is_directory(st)) { *error = "is a directory (ingest walks folders; extract takes files)"; return false; }
    if (!std::filesystem::is_regular_file(st)) { *error = "not a regular file"; return false; }
    auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > opt.max_bytes) {
      *error = "file is " + std::to_string(size >> 20) + " MB, over the limit of " +
               std::to_string(opt.max_bytes >> 20) + " MB (raise --max-size if it is really one article)";
      return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) { *error = std::string("cannot read (") + std::strerror(errno) + "; check permissions)"; return false; }
    // Block reads: istreambuf_iterator appends byte by byte (measured: a
    // tenth of ingest's CPU outside extraction). The file may grow between
    // the size check and here, so read to the end and check again.
    if (!ec) bytes.reserve(static_cast<size_t>(size));
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      bytes.append(buf, static_cast<size_t>(in.gcount()));
      if (bytes.size() > opt.max_bytes) {
        *error = "file grew past the limit of " + std::to_string(opt.max_bytes >> 20) + " MB while being read";
        return false;
      }
    }
    if (in.bad()) { *error = "read error"; return false; }
  }
  // A very long line is not prose: refuse it rather than spend minutes on it.
  for (size_t line_start = 0; line_start <= bytes.size();) {
    size_t i = bytes.find('\n', line_start);
    if (i == std::string::npos) i = bytes.size();
    if (i - line_start > opt.max_line) {
      *error = "a line of " + std::to_string((i - line_start) >> 10) + " KB starts at byte " +
               std::to_string(line_start) + "; not article text (raise --max-line if it is)";
      return false;
    }
    line_start = i + 1;
  }
  if (!Document::from_bytes(std::move(bytes), &out->doc, error)) return false;
  out->meta = ArticleMeta{};
  out->meta.id = path == "-" ? "stdin" : article_id(path);
  if (out->doc.original.find_first_not_of(" \t\r\n") == std::string::npos)
    out->warning = "file is empty; nothing to extract";
  std::string warning;
  read_publication(path, out->doc.original, &out->meta, &warning);
  if (!warning.empty()) out->warning = warning;
  if (!opt.published.empty()) {
    std::string iso;
    int minute;
    if (!parse_published(opt.published, &iso, &minute)) {
      *error = "--published '" + opt.published + "' is not a date (write YYYY-MM-DD)";
      return false;
    }
    out->meta.published = iso;
    out->meta.published_minute = minute;
    out->meta.published_from = "option";
  }
  return true;
}

}  // namespace claimcheck
