// @brief An article's publication date and source: sidecar, front matter or dateline.
//
// Order of precedence (docs/claims-format.md): a sidecar NAME.meta.json
// ("published", "source", "language", "translated"), a front-matter block at
// the top of the file (--- ... --- with "published: 2024-11-26"), a dateline in
// the first lines of the text ("Published 11/26/2024, 01:00 AM",
// "November 26, 2024", "2024-11-26"). Problems with a sidecar (invalid JSON,
// an impossible date) are returned as a warning; the article is still read.
//
//   ArticleMeta meta;
//   std::string warning;
//   read_publication("seeds/000.txt", text, &meta, &warning);
#pragma once

#include <string>

#include "core/extractor.h"

namespace claimcheck {

// Fills meta->id, path, published, published_minute, published_from, source,
// language, translated. Returns false only when a sidecar exists but is
// unusable; *warning then says why (the text's own dates are still tried).
bool read_publication(const std::string& path, const std::string& text, ArticleMeta* meta, std::string* warning);

// Parses "2024-11-26", "2024-11-26T01:00", "2024-11-26 16:30:00" into an ISO
// date and minutes after midnight (-1 when no time). False if not a real date.
bool parse_published(const std::string& s, std::string* iso, int* minute);

// Reads a sidecar's JSON (source, language, translated, published). False
// with *warning ("NAME: invalid JSON (...)") when it cannot be used.
bool apply_sidecar(const std::string& body, const std::string& name, ArticleMeta* meta, std::string* warning);

// Finds a dateline in the first ~1500 bytes of text.
bool find_dateline(const std::string& text, std::string* iso, int* minute);

std::string article_id(const std::string& path);

}  // namespace claimcheck
