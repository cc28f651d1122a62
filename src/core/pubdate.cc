// @brief Publication dates from sidecars, front matter and datelines. Tested by pubdate_test.cc.
#include "core/pubdate.h"

#include <filesystem>

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "core/calendar.h"
#include "core/table.h"

namespace claimcheck {

std::string article_id(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  for (const char* ext : {".txt", ".md", ".html", ".htm"}) {
    std::string e = ext;
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0)
      return name.substr(0, name.size() - e.size());
  }
  return name;
}

bool parse_published(const std::string& s, std::string* iso, int* minute) {
  auto d = Date::parse(s);
  if (!d) return false;
  *iso = d->iso();
  *minute = -1;
  if (s.size() >= 16 && (s[10] == 'T' || s[10] == ' ') && s[13] == ':') {
    int h = std::atoi(s.substr(11, 2).c_str()), m = std::atoi(s.substr(14, 2).c_str());
    if (h >= 0 && h < 24 && m >= 0 && m < 60) *minute = h * 60 + m;
  }
  return true;
}

bool find_dateline(const std::string& text, std::string* iso, int* minute) {
  const std::string head = text.substr(0, 1500);
  static const RE2 us(R"((?:Published|Updated|Posted)?\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})\s*([AaPp][Mm])?)?)");
  static const RE2 longform(
      R"((?i)\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(\d{1,2}),\s+(\d{4})\b)");
  static const RE2 isoform(R"(\b(\d{4})-(\d{2})-(\d{2})\b)");
  static const char* months[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  re2::StringPiece in(head);
  std::string mo, dy, yr, hh, mm, ap;
  *minute = -1;
  if (RE2::PartialMatch(in, us, &mo, &dy, &yr, &hh, &mm, &ap)) {
    int y = std::atoi(yr.c_str()), m = std::atoi(mo.c_str()), d = std::atoi(dy.c_str());
    if (Date::valid_ymd(y, m, d)) {
      *iso = Date::from_ymd(y, m, d).iso();
      if (!hh.empty()) {
        int h = std::atoi(hh.c_str()) % 12;
        if (ap.empty()) h = std::atoi(hh.c_str());
        else if (ap[0] == 'P' || ap[0] == 'p') h += 12;
        *minute = h * 60 + std::atoi(mm.c_str());
      }
      return true;
    }
  }
  // A long-form date alone on one of the first lines.
  size_t pos = 0;
  for (int line = 0; line < 15 && pos < head.size(); ++line) {
    size_t nl = head.find('\n', pos);
    std::string l = trim(head.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
    pos = nl == std::string::npos ? head.size() : nl + 1;
    if (l.size() > 40) continue;
    std::string mname;
    if (RE2::PartialMatch(l, longform, &mname, &dy, &yr)) {
      std::string k = mname.substr(0, 3);
      for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (int i = 0; i < 12; ++i)
        if (k == months[i] && Date::valid_ymd(std::atoi(yr.c_str()), i + 1, std::atoi(dy.c_str()))) {
          *iso = Date::from_ymd(std::atoi(yr.c_str()), i + 1, std::atoi(dy.c_str())).iso();
          return true;
        }
    }
    if (RE2::PartialMatch(l, isoform, &yr, &mo, &dy) && Date::valid_ymd(std::atoi(yr.c_str()), std::atoi(mo.c_str()), std::atoi(dy.c_str()))) {
      *iso = Date::from_ymd(std::atoi(yr.c_str()), std::atoi(mo.c_str()), std::atoi(dy.c_str())).iso();
      return true;
    }
  }
  return false;
}

namespace {

// Front matter: the file opens with "---", key: value lines, "---".
bool front_matter(const std::string& text, std::string* published, std::string* source) {
  if (text.rfind("---\n", 0) != 0 && text.rfind("---\r\n", 0) != 0) return false;
  size_t end = text.find("\n---", 3);
  if (end == std::string::npos || end > 4000) return false;
  for (const auto& line : split(text.substr(4, end - 4), '\n')) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string k = trim(line.substr(0, colon)), v = trim(line.substr(colon + 1));
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'')) v = v.substr(1, v.size() - 2);
    if (k == "published" || k == "date") *published = v;
    else if (k == "source") *source = v;
  }
  return !published->empty();
}

}  // namespace

bool apply_sidecar(const std::string& body, const std::string& name, ArticleMeta* meta, std::string* warning) {
  try {
    auto j = nlohmann::json::parse(body);
    if (!j.is_object()) throw std::runtime_error("not a JSON object");
    if (j.contains("source") && j["source"].is_string()) meta->source = j["source"];
    if (j.contains("language") && j["language"].is_string()) meta->language = j["language"];
    if (j.contains("translated") && j["translated"].is_boolean()) meta->translated = j["translated"];
    if (j.contains("published") && j["published"].is_string()) {
      std::string iso;
      int minute = -1;
      if (parse_published(j["published"], &iso, &minute)) {
        meta->published = iso;
        meta->published_minute = minute;
        meta->published_from = "sidecar";
        return true;
      }
      *warning = name + ": 'published' is not a real date ('" + j["published"].get<std::string>().substr(0, 40) +
                 "'; write YYYY-MM-DD); using the text's own date if any";
      return false;
    }
    return true;
  } catch (const std::exception& e) {
    *warning = name + ": invalid JSON (" + std::string(e.what()).substr(0, 120) +
               "); fix or remove it; using the text's own date if any";
    return false;
  }
}

bool read_publication(const std::string& path, const std::string& text, ArticleMeta* meta, std::string* warning) {
  meta->path = path;
  if (meta->id.empty()) meta->id = article_id(path);
  bool ok = true;
  std::filesystem::path p(path);
  std::filesystem::path sidecar = p.parent_path() / (article_id(path) + ".meta.json");
  std::error_code ec;
  if (!path.empty() && path != "-" && std::filesystem::exists(sidecar, ec)) {
    std::string body, err;
    if (!read_file(sidecar.string(), &body, &err)) {
      *warning = err;
      ok = false;
    } else {
      ok = apply_sidecar(body, sidecar.string(), meta, warning);
      if (ok && !meta->published.empty()) return true;
    }
  }
  if (!meta->published.empty()) return ok;  // given by the caller (--published)
  std::string fm, src;
  if (front_matter(text, &fm, &src)) {
    std::string iso;
    int minute;
    if (parse_published(fm, &iso, &minute)) {
      meta->published = iso;
      meta->published_minute = minute;
      meta->published_from = "front-matter";
      if (meta->source.empty()) meta->source = src;
      return ok;
    }
  }
  std::string iso;
  int minute;
  if (find_dateline(text, &iso, &minute)) {
    meta->published = iso;
    meta->published_minute = minute;
    meta->published_from = "dateline";
  }
  return ok;
}

}  // namespace claimcheck
