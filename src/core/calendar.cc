// @brief Civil date arithmetic and the trading calendar. Tested by calendar_test.cc.
#include "core/calendar.h"

#include <cstdio>

#include "core/table.h"

namespace claimcheck {

// Howard Hinnant's days_from_civil / civil_from_days algorithms.
Date Date::from_ymd(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return Date{era * 146097 + static_cast<int>(doe) - 719468};
}

namespace {
struct Ymd { int y, m, d; };
Ymd civil(int z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), static_cast<int>(m), static_cast<int>(d)};
}
}  // namespace

int days_in_month(int y, int m) {
  static const int k[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2) return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
  return k[m - 1];
}

bool Date::valid_ymd(int y, int m, int d) {
  return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

std::optional<Date> Date::parse(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 0 || m < 0 || d < 0 || !valid_ymd(y, m, d)) return std::nullopt;
  return from_ymd(y, m, d);
}

int Date::year() const { return civil(days).y; }
int Date::month() const { return civil(days).m; }
int Date::day() const { return civil(days).d; }
int Date::weekday() const { return ((days % 7) + 7 + 3) % 7; }  // 1970-01-01 was a Thursday

std::string Date::iso() const {
  const Ymd c = civil(days);
  if (c.y < 0 || c.y > 9999) {  // beyond four digits: as printf writes it
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y, c.m, c.d);
    return buf;
  }
  // Written digit by digit: snprintf was 3% of extraction.
  std::string out = "0000-00-00";
  for (int i = 3, y = c.y; i >= 0; --i, y /= 10) out[static_cast<size_t>(i)] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + c.m / 10);
  out[6] = static_cast<char>('0' + c.m % 10);
  out[8] = static_cast<char>('0' + c.d / 10);
  out[9] = static_cast<char>('0' + c.d % 10);
  return out;
}

bool TradingCalendar::load(const std::string& path, std::string* error) {
  Table t;
  if (!t.load(path, {"date", "name"}, error)) return false;
  for (const auto& row : t.rows()) {
    auto d = Date::parse(row.cells[0]);
    if (!d || row.cells[0].size() != 10) {
      *error = path + ":" + std::to_string(row.line) + ": '" + row.cells[0] +
               "' is not a date (write YYYY-MM-DD)";
      return false;
    }
    holidays_.insert(d->days);
    names_.emplace_back(d->days, row.cells[1]);
    if (last_year_ < first_year_) first_year_ = last_year_ = d->year();
    first_year_ = std::min(first_year_, d->year());
    last_year_ = std::max(last_year_, d->year());
  }
  return true;
}

bool TradingCalendar::is_trading_day(Date d) const {
  return d.weekday() < 5 && !holidays_.count(d.days);
}

Date TradingCalendar::last_trading_on_or_before(Date d) const {
  for (int i = 0; i < 30 && !is_trading_day(d); ++i) d = d - 1;
  return d;
}

Date TradingCalendar::last_close_before(Date d) const { return last_trading_on_or_before(d - 1); }

Date TradingCalendar::first_trading_on_or_after(Date d) const {
  for (int i = 0; i < 30 && !is_trading_day(d); ++i) d = d + 1;
  return d;
}

Date TradingCalendar::trading_days_back(Date d, int n) const {
  d = last_trading_on_or_before(d);
  for (int i = 1; i < n; ++i) d = last_close_before(d);
  return d;
}

const std::string& TradingCalendar::holiday_name(Date d) const {
  static const std::string none;
  for (const auto& [day, name] : names_)
    if (day == d.days) return name;
  return none;
}

}  // namespace claimcheck
