// @brief Claim <-> JSON. Tested by jsonl_test.cc.
#include "core/jsonl.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/capture.h"

namespace claimcheck {
namespace {

// Twelve significant digits: 11.15, not 11.149999999999999. to_chars with a
// precision is printf's %.12g and from_chars is strtod, both without the
// locale (snprintf and strtod were a tenth of a database check).
double tidy(double v) {
  if (v == 0) return 0.0;  // "-0%" is 0
  char buf[40];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 12);
  if (ec != std::errc()) return v;
  double out = v;
  std::from_chars(buf, end, out);
  return out;
}

nlohmann::ordered_json date_or_null(const std::string& s) {
  return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
}

std::string str_or_empty(const nlohmann::json& j, const char* k) {
  if (!j.contains(k) || j[k].is_null()) return "";
  if (!j[k].is_string()) throw std::runtime_error(std::string("field '") + k + "' must be a string");
  return j[k].get<std::string>();
}

}  // namespace

nlohmann::ordered_json claim_to_json(const Claim& c) {
  // Room for every field (and the four a stored conflict adds) up front: the
  // ordered object is a vector that otherwise moves its pairs as it grows.
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j.get_ref<nlohmann::ordered_json::object_t&>().reserve(28);
  j["article"] = c.article;
  j["start"] = c.start;
  j["end"] = c.end;
  j["quote"] = c.quote;
  j["subject"] = c.subject;
  j["metric"] = c.metric;
  j["value"] = tidy(c.value);
  j["unit"] = c.unit;
  j["qualifier"] = c.qualifier;
  j["lo"] = tidy(c.lo);
  j["hi"] = tidy(c.hi);
  j["period_start"] = date_or_null(c.period_start);
  j["period_end"] = date_or_null(c.period_end);
  j["as_of"] = date_or_null(c.as_of);
  j["as_of_basis"] = c.as_of.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.as_of_basis);
  j["basis"] = c.basis;
  j["event_date"] = date_or_null(c.event_date);
  j["record"] = c.record;
  j["confidence"] = tidy(c.confidence);
  j["rule"] = c.rule;
  j["flags"] = c.flags;
  if (!c.alt_event_date.empty() || c.alt_value) {
    nlohmann::ordered_json alt;
    if (!c.alt_event_date.empty()) alt["event_date"] = c.alt_event_date;
    if (c.alt_value) alt["value"] = tidy(*c.alt_value);
    j["alt"] = alt;
  }
  return j;
}

namespace json_text {

void string(std::string* out, std::string_view s) {
  auto plain = [](unsigned char c) { return c >= 0x20 && c != '"' && c != '\\' && c < 0x80; };
  size_t i = 0;
  while (i < s.size() && plain(static_cast<unsigned char>(s[i]))) ++i;
  if (i < s.size() && !valid_utf8(s.substr(i))) {
    // dump() names the bad byte; let it say so.
    out->append(nlohmann::json(std::string(s)).dump());
    return;
  }
  out->push_back('"');
  out->append(s.data(), i);
  static constexpr char kHex[] = "0123456789abcdef";
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\t': out->append("\\t"); break;
      case '\n': out->append("\\n"); break;
      case '\f': out->append("\\f"); break;
      case '\r': out->append("\\r"); break;
      default:
        if (c < 0x20) {
          const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
          out->append(esc, 6);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

void number(std::string* out, double v) {
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  // nlohmann's own conversion (Grisu2, then "1.0", "1e+20", "0.0001" as it
  // formats them): the same bytes as dump(), by construction.
  char buf[64];
  const char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, static_cast<size_t>(end - buf));
}

void integer(std::string* out, long long v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, static_cast<size_t>(end - buf));
}

void strings(std::string* out, const std::vector<std::string>& v) {
  out->push_back('[');
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out->push_back(',');
    string(out, v[i]);
  }
  out->push_back(']');
}

}  // namespace json_text

void append_claim_json(std::string* out, const Claim& c, bool close) {
  using namespace json_text;
  // Each field: its key (after a comma unless first in its object), then its value.
  auto key = [&](const char* k) {
    if (out->back() != '{') out->push_back(',');
    out->push_back('"');
    out->append(k);
    out->append("\":");
  };
  auto text = [&](const char* k, const std::string& v) { key(k); string(out, v); };
  auto real = [&](const char* k, double v) { key(k); number(out, tidy(v)); };
  auto date = [&](const char* k, const std::string& d) {  // null when unknown
    key(k);
    if (d.empty()) out->append("null");
    else string(out, d);
  };
  out->push_back('{');
  text("article", c.article);
  key("start");
  integer(out, c.start);
  key("end");
  integer(out, c.end);
  text("quote", c.quote);
  text("subject", c.subject);
  text("metric", c.metric);
  real("value", c.value);
  text("unit", c.unit);
  text("qualifier", c.qualifier);
  real("lo", c.lo);
  real("hi", c.hi);
  date("period_start", c.period_start);
  date("period_end", c.period_end);
  date("as_of", c.as_of);
  key("as_of_basis");  // null without a date, else as stored (even "")
  if (c.as_of.empty()) out->append("null");
  else string(out, c.as_of_basis);
  text("basis", c.basis);
  date("event_date", c.event_date);
  key("record");
  out->append(c.record ? "true" : "false");
  real("confidence", c.confidence);
  text("rule", c.rule);
  key("flags");
  strings(out, c.flags);
  if (!c.alt_event_date.empty() || c.alt_value) {
    key("alt");
    out->push_back('{');
    if (!c.alt_event_date.empty()) text("event_date", c.alt_event_date);
    if (c.alt_value) real("value", *c.alt_value);
    out->push_back('}');
  }
  if (close) out->push_back('}');
}

Claim claim_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw std::runtime_error("a claim must be a JSON object");
  Claim c;
  c.article = str_or_empty(j, "article");
  if (c.article.empty()) throw std::runtime_error("field 'article' is missing");
  c.subject = str_or_empty(j, "subject");
  c.metric = str_or_empty(j, "metric");
  if (c.subject.empty() || c.metric.empty()) throw std::runtime_error("fields 'subject' and 'metric' are required");
  if (!j.contains("value") || !j["value"].is_number()) throw std::runtime_error("field 'value' must be a number");
  c.value = j["value"].get<double>();
  c.start = j.value("start", 0LL);
  c.end = j.value("end", 0LL);
  c.quote = str_or_empty(j, "quote");
  c.unit = j.contains("unit") && j["unit"].is_string() ? j["unit"].get<std::string>() : "none";
  c.qualifier = j.contains("qualifier") && j["qualifier"].is_string() ? j["qualifier"].get<std::string>() : "exact";
  c.lo = j.contains("lo") && j["lo"].is_number() ? j["lo"].get<double>() : c.value;
  c.hi = j.contains("hi") && j["hi"].is_number() ? j["hi"].get<double>() : c.value;
  c.period_start = str_or_empty(j, "period_start");
  c.period_end = str_or_empty(j, "period_end");
  c.as_of = str_or_empty(j, "as_of");
  c.as_of_basis = str_or_empty(j, "as_of_basis");
  c.basis = j.contains("basis") && j["basis"].is_string() ? j["basis"].get<std::string>() : "unspecified";
  c.event_date = str_or_empty(j, "event_date");
  c.record = j.value("record", false);
  c.confidence = j.contains("confidence") && j["confidence"].is_number() ? j["confidence"].get<double>() : 1.0;
  c.rule = str_or_empty(j, "rule");
  if (j.contains("flags") && j["flags"].is_array())
    for (const auto& f : j["flags"]) if (f.is_string()) c.flags.push_back(f.get<std::string>());
  if (j.contains("alt") && j["alt"].is_object()) {
    c.alt_event_date = str_or_empty(j["alt"], "event_date");
    if (j["alt"].contains("value") && j["alt"]["value"].is_number()) c.alt_value = j["alt"]["value"].get<double>();
  }
  return c;
}

}  // namespace claimcheck
