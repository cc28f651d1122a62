// @brief Rule example runner. Used by rules_test.cc and `claimcheck rules --test`.
#include "core/examples.h"

#include <algorithm>
#include <cmath>

#include "core/extractor.h"
#include "core/jsonl.h"
#include "core/table.h"

namespace claimcheck {
namespace {

std::string field(const Claim& c, const std::string& k) {
  auto num = [](double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    return std::string(buf);
  };
  if (k == "subject") return c.subject;
  if (k == "metric") return c.metric;
  if (k == "value") return num(c.value);
  if (k == "unit") return c.unit;
  if (k == "qualifier") return c.qualifier;
  if (k == "as_of") return c.as_of.empty() ? "null" : c.as_of;
  if (k == "as_of_basis") return c.as_of_basis.empty() ? "null" : c.as_of_basis;
  if (k == "period") return c.period_start.empty() ? "null" : c.period_start + ".." + c.period_end;
  if (k == "basis") return c.basis;
  if (k == "event_date") return c.event_date.empty() ? "null" : c.event_date;
  if (k == "alt_event_date") return c.alt_event_date.empty() ? "null" : c.alt_event_date;
  if (k == "record") return c.record ? "true" : "false";
  if (k == "quote") return c.quote;
  return "?";
}

bool field_matches(const Claim& c, const std::string& k, const std::string& want) {
  if (k == "value") {
    char* end = nullptr;
    double w = std::strtod(want.c_str(), &end);
    return end && *end == '\0' && std::fabs(w - c.value) <= 1e-9 * std::max(1.0, std::fabs(w));
  }
  if (k == "quote") return c.quote == std::string(want);
  return field(c, k) == want;
}

}  // namespace

std::vector<ExampleFailure> run_examples(const RuleSet& rules, const Rule& rule) {
  std::vector<ExampleFailure> out;
  Extractor ex(rules);
  for (const RuleExample& e : rule.examples) {
    const std::string where = e.file + ":" + std::to_string(e.line);
    Document doc;
    std::string err;
    if (!Document::from_bytes(e.sentence, &doc, &err)) {
      out.push_back({where, rule.id, "example is not valid text: " + err});
      continue;
    }
    ArticleMeta meta;
    meta.id = "example";
    if (e.published != "none") {
      meta.published = e.published;
      meta.published_from = "example";
    }
    auto claims = ex.extract(doc, meta);
    auto from_rule = [&](const Claim& c) {
      if (rule.kind == "timex" && rule.type == "reference") return true;  // it must only not mislead
      if (rule.kind == "timex") return std::find(c.time_rules.begin(), c.time_rules.end(), rule.id) != c.time_rules.end();
      if (rule.kind == "garble") return c.has_flag("garbled_date");
      if (rule.kind == "repair") return c.has_flag("garbled_number");
      if (rule.kind == "suppress") return true;  // the real claim around a held-back number
      return c.rule == rule.id;
    };
    std::string got;
    for (const Claim& c : claims) got += "\n    got: " + claim_to_json(c).dump();
    if (e.counter && rule.kind == "suppress") {
      if (!claims.empty()) out.push_back({where, rule.id, "counter-example: the held-back number still gave a claim" + got});
      continue;
    }
    if (e.counter) {
      for (const Claim& c : claims)
        if (from_rule(c)) { out.push_back({where, rule.id, "counter-example fired: " + claim_to_json(c).dump()}); break; }
      continue;
    }
    bool ok = false;
    std::string closest;
    for (const Claim& c : claims) {
      if (!from_rule(c)) continue;
      std::string diff;
      for (const auto& [k, v] : e.expect) {
        if (k == "claims") {
          if (std::to_string(claims.size()) != v) diff += " claims: want " + v + " in the sentence, got " + std::to_string(claims.size()) + ";";
          continue;
        }
        if (k == "flags") {
          for (const auto& f : split(v, ','))
            if (!c.has_flag(f)) diff += " flags: want " + f;
          continue;
        }
        if (!field_matches(c, k, v)) diff += " " + k + ": want " + v + ", got " + field(c, k) + ";";
      }
      if (diff.empty()) { ok = true; break; }
      if (closest.empty()) closest = diff;
    }
    if (!ok)
      out.push_back({where, rule.id, "\"" + e.sentence + "\" (published " + e.published + "): " +
                                         (closest.empty() ? "the rule gave no claim" : "mismatch:" + closest) + got});
  }
  return out;
}

}  // namespace claimcheck
