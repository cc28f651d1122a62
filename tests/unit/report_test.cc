// @brief Conflict report renderers: the JSON record shape, escaping, highlighting, filters.
#include <catch2/catch.hpp>

#include <sstream>

#include "core/report.h"

using claimcheck::ArticleInfo;
using claimcheck::Claim;
using claimcheck::ClaimRef;
using claimcheck::Conflict;

namespace {

struct Fixture {
  ArticleInfo a, b;
  Claim ca, cb;
  Conflict k;
  Fixture() {
    a.id = "000_x";
    a.source = "Tom & Jerry's <Wire>";
    a.published = "2024-11-26";
    b.id = "001_y";
    b.source = "";
    b.published = "2024-11-26";
    ca.article = a.id;
    ca.start = 10;
    ca.end = 60;
    ca.quote = "record close of 2,442.74 set on \"November 8\" <script>alert(1)</script>";
    ca.value = 2442.74;
    ca.text = "2,442.74";
    ca.event_date = "2021-11-08";
    ca.basis = "close";
    cb.article = b.id;
    cb.start = 5;
    cb.end = 40;
    cb.quote = "closing high of 2442.74 points was set on January 8th\n\ttab";
    cb.value = 2442.74;
    cb.event_date = "2021-01-08";
    cb.as_of = "2021-12-31";
    cb.basis = "close";
    k.id = 1;
    k.fingerprint = "0123456789abcdef";
    k.kind = "mistranslation";
    k.severity = "medium";
    k.subject = "RUT";
    k.metric = "record_level";
    k.fact = "date of the RUT record (close) of 2442.74";
    k.claims = {ClaimRef{&ca, &a}, ClaimRef{&cb, &b}};
    k.explanation = "Read as 2021-11-08 it agrees; \"garbled\" <b>date</b>.";
    k.suggestion = nlohmann::ordered_json{{"event_date", "2021-11-08"}};
  }
};

}  // namespace

TEST_CASE("report: JSON is one conflict record per line in the documented shape", "[report]") {
  Fixture f;
  Conflict low = f.k;
  low.id = 2;
  low.severity = "low";
  low.suggestion = nullptr;
  std::string out = claimcheck::render_jsonl({f.k, low});
  std::istringstream in(out);
  std::string line;
  std::vector<nlohmann::json> recs;
  while (std::getline(in, line)) recs.push_back(nlohmann::json::parse(line));
  REQUIRE(recs.size() == 2);
  auto j = nlohmann::ordered_json::parse(out.substr(0, out.find('\n')));
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"id", "fingerprint", "kind", "severity", "subject", "metric", "claims",
                                         "explanation", "suggestion", "status", "note"});
  CHECK(j["id"] == 1);
  CHECK(j["status"] == "open");
  CHECK(j["note"] == "");
  CHECK(j["suggestion"]["event_date"] == "2021-11-08");
  REQUIRE(j["claims"].size() == 2);
  std::vector<std::string> ckeys;
  for (auto it = j["claims"][0].begin(); it != j["claims"][0].end(); ++it) ckeys.push_back(it.key());
  CHECK(ckeys == std::vector<std::string>{"article", "start", "end", "quote", "value", "as_of", "event_date", "basis"});
  CHECK(j["claims"][0]["quote"] == f.ca.quote);  // quotes, angle brackets survive the round trip
  CHECK(j["claims"][0]["as_of"].is_null());
  CHECK(j["claims"][1]["quote"] == f.cb.quote);  // control characters are escaped, not raw
  CHECK(recs[1]["suggestion"].is_null());
  CHECK(out.find('\t') == std::string::npos);
}

TEST_CASE("report: the number is found in the quote", "[report]") {
  Fixture f;
  auto [b, e] = claimcheck::number_span(f.ca);
  REQUIRE(b != std::string::npos);
  CHECK(f.ca.quote.substr(b, e - b) == "2,442.74");
  // Without the written text the value's digits find it.
  auto [b2, e2] = claimcheck::number_span(f.cb);
  REQUIRE(b2 != std::string::npos);
  CHECK(f.cb.quote.substr(b2, e2 - b2) == "2442.74");
  Claim pct;
  pct.quote = "the Nasdaq 100 is up nearly 18% this year";
  pct.value = 18;
  auto [b3, e3] = claimcheck::number_span(pct);
  CHECK(pct.quote.substr(b3, e3 - b3) == "18%");
}

TEST_CASE("report: HTML escapes every text and is self-contained", "[report]") {
  Fixture f;
  std::string html = claimcheck::render_html({f.k});
  CHECK(html.find("<script>alert(1)</script>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("Tom &amp; Jerry&#39;s &lt;Wire&gt;") != std::string::npos);
  CHECK(html.find("&lt;b&gt;date&lt;/b&gt;") != std::string::npos);
  CHECK(html.find("<mark>2,442.74</mark>") != std::string::npos);
  CHECK(html.find("<mark>2442.74</mark>") != std::string::npos);
  CHECK(html.find("data-severity=\"medium\"") != std::string::npos);
  CHECK(html.find("data-kind=\"mistranslation\"") != std::string::npos);
  CHECK(html.find("data-subject=\"RUT\"") != std::string::npos);
  CHECK(html.find("id=\"f-severity\"") != std::string::npos);
  CHECK(html.find("id=\"f-kind\"") != std::string::npos);
  CHECK(html.find("id=\"f-subject\"") != std::string::npos);
  CHECK(html.find("Review status") != std::string::npos);
  CHECK(html.find("2021-11-08") != std::string::npos);
  // No external assets.
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  // Exactly one script, the filter code.
  CHECK(html.find("<script>") == html.rfind("<script>"));
}

TEST_CASE("report: text and Markdown show the same content", "[report]") {
  Fixture f;
  std::string text = claimcheck::render_text({f.k});
  CHECK(text.find("1 conflict(s): 0 high, 1 medium, 0 low; 1 mistranslation") != std::string::npos);
  CHECK(text.find("[2,442.74]") != std::string::npos);
  CHECK(text.find("suggestion: {\"event_date\":\"2021-11-08\"}") != std::string::npos);
  std::string md = claimcheck::render_markdown({f.k});
  CHECK(md.find("| mistranslation | 1 |") != std::string::npos);
  CHECK(md.find("**2,442.74**") != std::string::npos);
  CHECK(md.find("&lt;script&gt;") != std::string::npos);
  CHECK(md.find("Status: open") != std::string::npos);
  CHECK_THROWS_AS(claimcheck::render_report({f.k}, "pdf"), std::invalid_argument);
  CHECK(claimcheck::render_report({}, "json").empty());
  CHECK(claimcheck::render_report({}, "html").find("No conflicts") != std::string::npos);
}

TEST_CASE("report: html_escape", "[report]") {
  CHECK(claimcheck::html_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
}
