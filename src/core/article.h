// @brief Reading one article from disk (or stdin) with every check a batch needs.
//
// load_article() never throws and never aborts: a file that cannot be used
// gives false and a one-line reason that names what to do ("invalid UTF-8 at
// byte 17 (convert the file to UTF-8)"). The caller prints "PATH: reason" and
// goes on with the next file.
#pragma once

#include <cstdint>
#include <string>

#include "core/extractor.h"
#include "core/text.h"

namespace claimcheck {

struct LoadOptions {
  uint64_t max_bytes = 32ull << 20;  // larger files are refused, not truncated
  uint64_t max_line = 1u << 20;      // a "line" longer than this is not prose
  std::string published;             // overrides sidecar/dateline when set
};

struct Article {
  Document doc;
  ArticleMeta meta;
  std::string warning;  // non-fatal: bad sidecar, empty file
};

// path "-" reads standard input.
bool load_article(const std::string& path, const LoadOptions& opt, Article* out, std::string* error);

}  // namespace claimcheck
