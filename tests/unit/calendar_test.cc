// @brief Civil dates and the trading calendar.
#include <catch2/catch.hpp>

#include <cstdio>

#include "core/calendar.h"

using claimcheck::Date;

TEST_CASE("calendar: civil date round trips and weekdays", "[calendar]") {
  Date d = *Date::parse("2024-11-25");
  CHECK(d.iso() == "2024-11-25");
  CHECK(d.weekday() == 0);  // Monday
  CHECK((d + 7).iso() == "2024-12-02");
  CHECK(Date::parse("2024-02-29"));
  CHECK_FALSE(Date::parse("2023-02-29"));
  CHECK_FALSE(Date::parse("2024-13-01"));
}

TEST_CASE("calendar: exchange holidays from rules/calendar", "[calendar]") {
  claimcheck::TradingCalendar cal;
  std::string err;
  REQUIRE(cal.load(std::string(CLAIMCHECK_SOURCE_DIR) + "/rules/calendar/nyse.tsv", &err));
  CHECK_FALSE(cal.is_trading_day(*Date::parse("2024-11-28")));  // Thanksgiving
  CHECK(cal.holiday_name(*Date::parse("2024-11-28")) == "Thanksgiving Day");
  CHECK(cal.last_close_before(*Date::parse("2024-11-29")).iso() == "2024-11-27");
  CHECK(cal.last_close_before(*Date::parse("2024-11-26")).iso() == "2024-11-25");
  CHECK(cal.last_close_before(*Date::parse("2024-04-01")).iso() == "2024-03-28");  // Good Friday
  CHECK(cal.trading_days_back(*Date::parse("2024-07-17"), 5).iso() == "2024-07-11");
  CHECK(cal.covers(2024));
  CHECK_FALSE(cal.covers(1990));
}

TEST_CASE("calendar: a malformed holiday table names file and line", "[calendar]") {
  claimcheck::TradingCalendar cal;
  std::string err;
  REQUIRE_FALSE(cal.load("/nonexistent/holidays.tsv", &err));
  CHECK(err.find("/nonexistent/holidays.tsv") != std::string::npos);
}

TEST_CASE("calendar: iso() writes every date as YYYY-MM-DD", "[calendar]") {
  // Against printf, day by day through four centuries and at the ends of
  // the four-digit years.
  char want[32];
  for (int y : {1, 9, 99, 999, 1900, 2000, 2024, 9999}) {
    const Date d = Date::from_ymd(y, 1, 1);
    std::snprintf(want, sizeof want, "%04d-01-01", y);
    CHECK(d.iso() == want);
  }
  const Date start = Date::from_ymd(1900, 1, 1);
  for (int k = 0; k < 146097; ++k) {
    const Date d = start + k;
    std::snprintf(want, sizeof want, "%04d-%02d-%02d", d.year(), d.month(), d.day());
    REQUIRE(d.iso() == want);
  }
}
