// @brief Conflict report renderers. Tested by report_test.cc and tests/cli/report_html.sh.
#include "core/report.h"

#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>

namespace claimcheck {
namespace {

const char* kKinds[] = {"value_mismatch", "date_mismatch", "mistranslation", "timing_explained"};
const char* kSeverities[] = {"high", "medium", "low"};

std::string num(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

double tidy(double v) { return std::strtod(num(v).c_str(), nullptr); }

nlohmann::ordered_json date_or_null(const std::string& s) {
  return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
}

std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

const ArticleInfo& info(const ClaimRef& r) {
  static const ArticleInfo none;
  return r.article ? *r.article : none;
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

std::string digits_of(std::string_view s) {
  std::string d;
  for (char ch : s)
    if (ch >= '0' && ch <= '9') d += ch;
  size_t i = d.find_first_not_of('0');
  d = i == std::string::npos ? "" : d.substr(i);
  while (!d.empty() && d.back() == '0') d.pop_back();
  return d;
}

std::map<std::string, int> count_by(const std::vector<Conflict>& cs, std::string Conflict::*field) {
  std::map<std::string, int> m;
  for (const auto& c : cs) m[c.*field]++;
  return m;
}

std::string summary_line(const std::vector<Conflict>& cs) {
  auto sev = count_by(cs, &Conflict::severity);
  auto kind = count_by(cs, &Conflict::kind);
  std::string s = std::to_string(cs.size()) + " conflict(s):";
  for (const char* k : kSeverities) s += " " + std::to_string(sev[k]) + " " + k + ",";
  s.back() = ';';
  for (const char* k : kKinds)
    if (kind[k]) s += " " + std::to_string(kind[k]) + " " + k + ",";
  s.pop_back();
  return s;
}

std::string quote_marked_text(const Claim& c, const char* open, const char* close) {
  auto [b, e] = number_span(c);
  if (b == std::string::npos) return c.quote;
  return c.quote.substr(0, b) + open + c.quote.substr(b, e - b) + close + c.quote.substr(e);
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string o;
  o.reserve(s.size() + 16);
  for (char ch : s) {
    switch (ch) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&#39;"; break;
      default: o += ch;
    }
  }
  return o;
}

std::pair<size_t, size_t> number_span(const Claim& c) {
  const std::string& q = c.quote;
  const auto npos = std::string::npos;
  if (!c.text.empty()) {
    size_t p = q.find(c.text);
    if (p != npos) return {p, p + c.text.size()};
  }
  // Numeric tokens: digits with , . or a single space between digits.
  std::vector<std::pair<size_t, size_t>> toks;
  for (size_t i = 0; i < q.size();) {
    if (q[i] < '0' || q[i] > '9') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < q.size()) {
      if (q[j] >= '0' && q[j] <= '9') {
        ++j;
      } else if ((q[j] == ',' || q[j] == '.' || q[j] == ' ') && j + 1 < q.size() && q[j + 1] >= '0' &&
                 q[j + 1] <= '9') {
        ++j;
      } else {
        break;
      }
    }
    size_t e = j;
    if (e < q.size() && q[e] == '%') ++e;
    toks.push_back({i, e});
    i = j;
  }
  if (toks.empty()) return {npos, npos};
  std::string vd = digits_of(num(c.value < 0 ? -c.value : c.value));
  for (auto t : toks)
    if (digits_of(q.substr(t.first, t.second - t.first)) == vd) return t;
  for (auto t : toks) {
    std::string td = digits_of(q.substr(t.first, t.second - t.first));
    if (!td.empty() && !vd.empty() && (vd.rfind(td, 0) == 0 || td.rfind(vd, 0) == 0)) return t;
  }
  return toks.back();
}

nlohmann::ordered_json conflict_to_json(const Conflict& c) {
  nlohmann::ordered_json j;
  j["id"] = c.id;
  j["fingerprint"] = c.fingerprint;
  j["kind"] = c.kind;
  j["severity"] = c.severity;
  j["subject"] = c.subject;
  j["metric"] = c.metric;
  nlohmann::ordered_json claims = nlohmann::ordered_json::array();
  for (const ClaimRef& r : c.claims) {
    const Claim& k = *r.claim;
    nlohmann::ordered_json x;
    x["article"] = k.article;
    x["start"] = k.start;
    x["end"] = k.end;
    x["quote"] = k.quote;
    x["value"] = tidy(k.value);
    x["as_of"] = date_or_null(k.as_of);
    x["event_date"] = date_or_null(k.event_date);
    x["basis"] = k.basis;
    claims.push_back(std::move(x));
  }
  j["claims"] = std::move(claims);
  j["explanation"] = c.explanation;
  j["suggestion"] = c.suggestion.is_null() ? nlohmann::ordered_json(nullptr) : c.suggestion;
  j["status"] = c.status;
  j["note"] = c.note;
  return j;
}

std::string render_jsonl(const std::vector<Conflict>& cs) {
  std::string o;
  for (const auto& c : cs) o += dump(conflict_to_json(c)) + "\n";
  return o;
}

std::string render_text(const std::vector<Conflict>& cs, const ReportOptions& opt) {
  std::string o = opt.title + "\n";
  if (!opt.inputs.empty()) o += "checked: " + opt.inputs + "\n";
  o += summary_line(cs) + "\n";
  for (const auto& c : cs) {
    o += "\n#" + std::to_string(c.id) + " [" + c.severity + "] " + c.kind + "  " + c.fact + "  (" + c.status +
         ", " + c.fingerprint + ")\n";
    for (const ClaimRef& r : c.claims) {
      const Claim& k = *r.claim;
      const ArticleInfo& a = info(r);
      o += "  - " + k.article;
      if (!a.source.empty()) o += " (" + a.source + ")";
      o += " published " + or_dash(a.published) + ", as of " + or_dash(k.as_of);
      if (!k.event_date.empty()) o += ", event " + k.event_date;
      o += ", " + k.basis + ": \"" + quote_marked_text(k, "[", "]") + "\"\n";
    }
    o += "  " + c.explanation + "\n";
    if (!c.suggestion.is_null()) o += "  suggestion: " + dump(c.suggestion) + "\n";
    if (!c.note.empty()) o += "  note: " + c.note + "\n";
  }
  return o;
}

std::string render_markdown(const std::vector<Conflict>& cs, const ReportOptions& opt) {
  auto cell = [](const std::string& s) {
    std::string o;
    for (char ch : s) {
      if (ch == '|') o += "\\|";
      else if (ch == '\n' || ch == '\r') o += ' ';
      else if (ch == '<') o += "&lt;";
      else if (ch == '>') o += "&gt;";
      else if (ch == '*' || ch == '_' || ch == '`' || ch == '[' || ch == ']') {
        o += '\\';
        o += ch;
      } else o += ch;
    }
    return o;
  };
  std::string o = "# " + cell(opt.title) + "\n\n";
  if (!opt.inputs.empty()) o += "Checked: " + cell(opt.inputs) + "\n\n";
  auto sev = count_by(cs, &Conflict::severity);
  auto kind = count_by(cs, &Conflict::kind);
  o += "| severity | count |\n|---|---|\n";
  for (const char* s : kSeverities) o += std::string("| ") + s + " | " + std::to_string(sev[s]) + " |\n";
  o += "\n| kind | count |\n|---|---|\n";
  for (const char* k : kKinds) o += std::string("| ") + k + " | " + std::to_string(kind[k]) + " |\n";
  for (const auto& c : cs) {
    o += "\n## #" + std::to_string(c.id) + " " + c.severity + " · " + c.kind + " · " + cell(c.fact) + "\n\n";
    o += "| article | outlet | published | as of | quote |\n|---|---|---|---|---|\n";
    for (const ClaimRef& r : c.claims) {
      const Claim& k = *r.claim;
      const ArticleInfo& a = info(r);
      auto [b, e] = number_span(k);
      std::string q = b == std::string::npos
                          ? cell(k.quote)
                          : cell(k.quote.substr(0, b)) + "**" + cell(k.quote.substr(b, e - b)) + "**" +
                                cell(k.quote.substr(e));
      std::string asof = or_dash(k.as_of);
      if (!k.event_date.empty()) asof += " (event " + k.event_date + ")";
      o += "| " + cell(k.article) + " | " + cell(or_dash(a.source)) + " | " + or_dash(a.published) + " | " + asof +
           " | " + q + " |\n";
    }
    o += "\n" + cell(c.explanation) + "\n";
    if (!c.suggestion.is_null()) o += "\nSuggestion: `" + dump(c.suggestion) + "`\n";
    o += "\nStatus: " + c.status + (c.note.empty() ? "" : " (" + cell(c.note) + ")") + " · fingerprint `" +
         c.fingerprint + "`\n";
  }
  return o;
}

std::string render_html(const std::vector<Conflict>& cs, const ReportOptions& opt) {
  auto sev = count_by(cs, &Conflict::severity);
  auto kind = count_by(cs, &Conflict::kind);
  std::set<std::string> subjects;
  for (const auto& c : cs) subjects.insert(c.subject);
  std::string o;
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  o += "<title>" + html_escape(opt.title) + "</title>\n";
  o += R"CSS(<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem auto;max-width:70rem;padding:0 1rem;color:#1d1d1f;background:#fafafa}
h1{font-size:1.5rem;margin-bottom:.25rem}
.inputs{color:#555;margin-top:0}
table.summary{border-collapse:collapse;margin:.5rem 0 1rem}
table.summary th,table.summary td{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}
table.summary th:first-child,table.summary td:first-child{text-align:left}
.filters{position:sticky;top:0;background:#fafafa;padding:.5rem 0;border-bottom:1px solid #ddd;display:flex;gap:1rem;flex-wrap:wrap;align-items:center}
.filters label{font-weight:600}
.conflict{background:#fff;border:1px solid #ddd;border-left:6px solid #999;border-radius:4px;margin:1rem 0;padding:.75rem 1rem}
.conflict[hidden],.conflict.is-hidden{display:none}
.conflict.sev-high{border-left-color:#c62828}
.conflict.sev-medium{border-left-color:#ef8f00}
.conflict.sev-low{border-left-color:#2e7d32}
.conflict h2{font-size:1.05rem;margin:.1rem 0 .5rem}
.badge{display:inline-block;font-size:.75rem;padding:.05rem .45rem;border-radius:3px;color:#fff;margin-right:.35rem;text-transform:uppercase}
.badge.high{background:#c62828}.badge.medium{background:#ef8f00}.badge.low{background:#2e7d32}.badge.kind{background:#455a64}
table.claims{border-collapse:collapse;width:100%;font-size:.9rem}
table.claims th,table.claims td{border-top:1px solid #eee;padding:.3rem .4rem;vertical-align:top;text-align:left}
mark{background:#ffe082;padding:0 .1rem}
td.date{white-space:nowrap}
.explanation{margin:.5rem 0}
.suggestion code,.fp{font-family:ui-monospace,monospace;font-size:.85rem}
.status{color:#555;font-size:.85rem}
#empty{color:#555}
</style>
)CSS";
  o += "</head>\n<body>\n";
  o += "<h1>" + html_escape(opt.title) + "</h1>\n";
  if (!opt.inputs.empty()) o += "<p class=\"inputs\">Checked: " + html_escape(opt.inputs) + "</p>\n";
  o += "<section id=\"summary\">\n<p>" + html_escape(summary_line(cs)) + "</p>\n";
  o += "<table class=\"summary\"><thead><tr><th>kind</th>";
  for (const char* s : kSeverities) o += std::string("<th>") + s + "</th>";
  o += "<th>total</th></tr></thead><tbody>\n";
  std::map<std::pair<std::string, std::string>, int> grid;
  for (const auto& c : cs) grid[{c.kind, c.severity}]++;
  for (const char* k : kKinds) {
    o += std::string("<tr><td>") + k + "</td>";
    for (const char* s : kSeverities) o += "<td>" + std::to_string(grid[{k, s}]) + "</td>";
    o += "<td>" + std::to_string(kind[k]) + "</td></tr>\n";
  }
  o += "<tr><td><strong>total</strong></td>";
  for (const char* s : kSeverities) o += "<td><strong>" + std::to_string(sev[s]) + "</strong></td>";
  o += "<td><strong>" + std::to_string(cs.size()) + "</strong></td></tr>\n</tbody></table>\n</section>\n";

  o += "<form class=\"filters\" id=\"filters\" onsubmit=\"return false\">\n";
  o += "<label for=\"f-severity\">Severity</label><select id=\"f-severity\" name=\"severity\"><option value=\"\">all</option>";
  for (const char* s : kSeverities) o += std::string("<option value=\"") + s + "\">" + s + "</option>";
  o += "</select>\n<label for=\"f-kind\">Kind</label><select id=\"f-kind\" name=\"kind\"><option value=\"\">all</option>";
  for (const char* k : kKinds) o += std::string("<option value=\"") + k + "\">" + k + "</option>";
  o += "</select>\n<label for=\"f-subject\">Subject</label><select id=\"f-subject\" name=\"subject\"><option value=\"\">all</option>";
  for (const auto& s : subjects) o += "<option value=\"" + html_escape(s) + "\">" + html_escape(s) + "</option>";
  o += "</select>\n<span id=\"shown\" aria-live=\"polite\">" + std::to_string(cs.size()) + " of " +
       std::to_string(cs.size()) + " shown</span>\n</form>\n";

  o += "<main id=\"conflicts\">\n";
  if (cs.empty()) o += "<p id=\"empty\">No conflicts: the sources agree on every fact they share.</p>\n";
  for (const auto& c : cs) {
    o += "<section class=\"conflict sev-" + html_escape(c.severity) + "\" id=\"conflict-" + std::to_string(c.id) +
         "\" data-severity=\"" + html_escape(c.severity) + "\" data-kind=\"" + html_escape(c.kind) +
         "\" data-subject=\"" + html_escape(c.subject) + "\" data-fingerprint=\"" + html_escape(c.fingerprint) +
         "\">\n";
    o += "<h2><span class=\"badge " + html_escape(c.severity) + "\">" + html_escape(c.severity) +
         "</span><span class=\"badge kind\">" + html_escape(c.kind) + "</span>#" + std::to_string(c.id) + " " +
         html_escape(c.fact) + "</h2>\n";
    o += "<table class=\"claims\"><thead><tr><th>article</th><th>outlet</th><th>published</th><th>as of</th>"
         "<th>sentence</th></tr></thead><tbody>\n";
    for (const ClaimRef& r : c.claims) {
      const Claim& k = *r.claim;
      const ArticleInfo& a = info(r);
      auto [b, e] = number_span(k);
      std::string q = b == std::string::npos
                          ? html_escape(k.quote)
                          : html_escape(k.quote.substr(0, b)) + "<mark>" + html_escape(k.quote.substr(b, e - b)) +
                                "</mark>" + html_escape(k.quote.substr(e));
      std::string asof = html_escape(or_dash(k.as_of));
      if (!k.event_date.empty()) asof += "<br>event " + html_escape(k.event_date);
      o += "<tr class=\"claim\"><td>" + html_escape(k.article) + "</td><td>" + html_escape(or_dash(a.source)) +
           "</td><td class=\"date\">" + html_escape(or_dash(a.published)) + "</td><td class=\"date\">" + asof +
           "</td><td>&ldquo;" + q +
           "&rdquo; <small>(" + html_escape(k.basis) + ")</small></td></tr>\n";
    }
    o += "</tbody></table>\n";
    o += "<p class=\"explanation\">" + html_escape(c.explanation) + "</p>\n";
    if (!c.suggestion.is_null())
      o += "<p class=\"suggestion\">Suggestion: <code>" + html_escape(dump(c.suggestion)) + "</code></p>\n";
    o += "<p class=\"status\">Review status: <strong class=\"review-status\">" + html_escape(c.status) +
         "</strong>" + (c.note.empty() ? "" : " &mdash; " + html_escape(c.note)) + " &middot; <span class=\"fp\">" +
         html_escape(c.fingerprint) + "</span></p>\n";
    o += "</section>\n";
  }
  o += "</main>\n";
  o += R"JS(<script>
(function () {
  var keys = ["severity", "kind", "subject"];
  function sel(k) { return document.getElementById("f-" + k); }
  function apply() {
    var want = {};
    keys.forEach(function (k) { want[k] = sel(k).value; });
    var rows = document.querySelectorAll("section.conflict");
    var shown = 0;
    rows.forEach(function (row) {
      var ok = keys.every(function (k) { return !want[k] || row.getAttribute("data-" + k) === want[k]; });
      if (ok) { row.removeAttribute("hidden"); row.classList.remove("is-hidden"); shown++; }
      else { row.setAttribute("hidden", ""); row.classList.add("is-hidden"); }
    });
    document.getElementById("shown").textContent = shown + " of " + rows.length + " shown";
  }
  function fromHash() {
    var h = window.location.hash.replace(/^#/, "");
    var got = {};
    h.split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i > 0) {
        try { got[decodeURIComponent(part.slice(0, i))] = decodeURIComponent(part.slice(i + 1)); } catch (e) {}
      }
    });
    keys.forEach(function (k) {
      var s = sel(k), v = got[k] || "";
      var known = Array.prototype.some.call(s.options, function (o) { return o.value === v; });
      s.value = known ? v : "";
    });
    apply();
  }
  function toHash() {
    var parts = [];
    keys.forEach(function (k) { if (sel(k).value) parts.push(k + "=" + encodeURIComponent(sel(k).value)); });
    history.replaceState(null, "", parts.length ? "#" + parts.join("&") : window.location.pathname + window.location.search);
    apply();
  }
  keys.forEach(function (k) { sel(k).addEventListener("change", toHash); });
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
</script>
)JS";
  o += "</body>\n</html>\n";
  return o;
}

std::string render_report(const std::vector<Conflict>& cs, const std::string& format, const ReportOptions& opt) {
  if (format == "text") return render_text(cs, opt);
  if (format == "md") return render_markdown(cs, opt);
  if (format == "json") return render_jsonl(cs);
  if (format == "html") return render_html(cs, opt);
  throw std::invalid_argument("unknown report format '" + format + "' (text, md, json or html)");
}

}  // namespace claimcheck
