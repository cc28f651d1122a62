// @brief Publication dates from sidecars, front matter and datelines.
#include <catch2/catch.hpp>

#include "core/pubdate.h"

TEST_CASE("pubdate: datelines in the text", "[pubdate]") {
  std::string iso;
  int minute;
  REQUIRE(claimcheck::find_dateline("Title\nPublished 11/26/2024, 01:00 AM\nBody", &iso, &minute));
  CHECK(iso == "2024-11-26");
  CHECK(minute == 60);
  REQUIRE(claimcheck::find_dateline("Markets\n\nNovember 26, 2024\nminute read", &iso, &minute));
  CHECK(iso == "2024-11-26");
  CHECK_FALSE(claimcheck::find_dateline("No date here, only 42 numbers.", &iso, &minute));
}

TEST_CASE("pubdate: published values with and without a time", "[pubdate]") {
  std::string iso;
  int minute;
  REQUIRE(claimcheck::parse_published("2024-11-26T16:30", &iso, &minute));
  CHECK(minute == 16 * 60 + 30);
  CHECK_FALSE(claimcheck::parse_published("2024-02-30", &iso, &minute));
}

TEST_CASE("pubdate: front matter is read when there is no sidecar", "[pubdate]") {
  claimcheck::ArticleMeta meta;
  std::string warning;
  claimcheck::read_publication("/nonexistent/a.txt", "---\npublished: 2024-12-04\nsource: Wire\n---\nThe Dow rose 1%.", &meta, &warning);
  CHECK(meta.published == "2024-12-04");
  CHECK(meta.published_from == "front-matter");
  CHECK(meta.source == "Wire");
}
