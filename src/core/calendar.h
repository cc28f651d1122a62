// @brief Civil dates and the US equity trading calendar.
//
// Date is a day count (days since 1970-01-01) with civil conversions; it is the
// only date type in the engine. TradingCalendar knows weekends and the exchange
// holidays listed in rules/calendar/*.tsv; outside the years the data covers it
// knows weekends only (covers() says which).
//
//   TradingCalendar cal = TradingCalendar::load("rules/calendar/nyse.tsv", &err);
//   Date d = *Date::parse("2024-11-28");      // Thanksgiving
//   cal.is_trading_day(d);                    // false
//   cal.last_close_before(d).iso();           // "2024-11-27"
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace claimcheck {

struct Date {
  int days = 0;  // days since 1970-01-01

  static Date from_ymd(int y, int m, int d);
  static std::optional<Date> parse(std::string_view iso);  // YYYY-MM-DD[...]
  static bool valid_ymd(int y, int m, int d);
  int year() const;
  int month() const;
  int day() const;
  int weekday() const;  // 0 = Monday ... 6 = Sunday
  std::string iso() const;
  Date operator+(int n) const { return Date{days + n}; }
  Date operator-(int n) const { return Date{days - n}; }
  auto operator<=>(const Date&) const = default;
};

int days_in_month(int y, int m);

class TradingCalendar {
 public:
  // Loads holidays from a claimcheck-table/1 file with columns date, name.
  // Returns false and sets *error ("file:line: what") on malformed input.
  bool load(const std::string& path, std::string* error);

  bool is_trading_day(Date d) const;
  bool covers(int year) const { return year >= first_year_ && year <= last_year_; }
  // The last trading day strictly before d.
  Date last_close_before(Date d) const;
  // The last trading day on or before d.
  Date last_trading_on_or_before(Date d) const;
  // The first trading day on or after d.
  Date first_trading_on_or_after(Date d) const;
  // The n-th trading day going back from d (n = 1 is d itself if trading).
  Date trading_days_back(Date d, int n) const;
  const std::string& holiday_name(Date d) const;

 private:
  std::set<int> holidays_;
  std::vector<std::pair<int, std::string>> names_;
  int first_year_ = 0, last_year_ = -1;
};

}  // namespace claimcheck
