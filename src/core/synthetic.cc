// @brief Synthetic article generator. Used by `claimcheck bench` and scaling tests.
#include "core/synthetic.h"

#include <cstdio>
#include <vector>

#include "core/calendar.h"

namespace claimcheck {
namespace {

template <class T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& v) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string with_commas(double v, int decimals) {
  const std::string s = fmt(v, decimals);
  const size_t dot = s.find('.');
  const size_t int_end = dot == std::string::npos ? s.size() : dot;
  std::string out;
  for (size_t i = 0; i < int_end; ++i) {
    if (i > 0 && (int_end - i) % 3 == 0) out.push_back(',');
    out.push_back(s[i]);
  }
  out.append(s, int_end, std::string::npos);
  return out;
}

}  // namespace

std::string synthetic_article(std::mt19937_64& rng, size_t bytes, std::string* published) {
  static const std::vector<std::pair<std::string, double>> indices = {
      {"The S&P 500", 5900}, {"The Nasdaq Composite", 19000}, {"The Dow Jones Industrial Average", 44000},
      {"The Russell 2000", 2400}, {"The FTSE 100", 8200}, {"The Nikkei 225", 38500}, {"The DAX", 20100},
      {"The Hang Seng", 19800}};
  static const std::vector<std::string> up = {"rose", "gained", "climbed", "advanced", "jumped", "added"};
  static const std::vector<std::string> down = {"fell", "dropped", "slid", "declined", "lost", "retreated"};
  static const std::vector<std::string> when = {"on Monday", "on Tuesday", "last week", "so far this month",
                                                "this year", "on Friday", "in the session"};
  static const std::vector<std::string> hedges = {"", "", "", "about ", "nearly ", "more than "};
  static const std::vector<std::string> filler = {
      "Investors weighed fresh comments from central bank officials against a run of mixed corporate results.",
      "Traders said volumes were thin ahead of the holiday, and several desks reported light client activity.",
      "Analysts at several brokerages said the rotation into cyclical sectors had further to run.",
      "Strategists cautioned that valuations already price in a soft landing for the economy.",
      "Energy and financial shares led the advance while utilities lagged behind the broader market.",
      "The move came as investors digested a busy week of economic data and earnings reports.",
      "Portfolio managers said they were adding to positions in regional banks and homebuilders.",
      "Several strategists argued that the broadening of the rally was a healthy sign for the market.",
      "Corporate buybacks and steady inflows into index funds have supported prices in recent months.",
      "Some investors remained wary, pointing to stretched positioning and a crowded trade in technology.",
      "The central bank is widely expected to keep its policy unchanged at the next meeting, economists said."};
  int y = 2024, m = std::uniform_int_distribution<int>(1, 12)(rng), d = std::uniform_int_distribution<int>(1, 28)(rng);
  *published = Date::from_ymd(y, m, d).iso();
  std::string out = "Markets wrap\n\n";
  while (out.size() < bytes) {
    // About one sentence in four carries figures, as in the seed articles.
    int kind = std::uniform_int_distribution<int>(0, 23)(rng);
    const auto& [name, base] = pick(rng, indices);
    bool rise = rng() & 1;
    double pct = std::uniform_real_distribution<double>(0.1, 3.5)(rng);
    double level = base * std::uniform_real_distribution<double>(0.95, 1.05)(rng);
    std::string s;
    if (kind < 3) {
      s = name + " " + pick(rng, rise ? up : down) + " " + pick(rng, hedges) + fmt(pct, 1) + "% " + pick(rng, when) +
          " to close at " + with_commas(level, 2) + ".";
    } else if (kind < 5) {
      double bp = std::uniform_real_distribution<double>(0.5, 15)(rng);
      s = "The yield on the 10-year Treasury note " + pick(rng, rise ? up : down) + " " + fmt(bp, 1) +
          " basis points to " + fmt(std::uniform_real_distribution<double>(3.5, 4.9)(rng), 3) + "% " + pick(rng, when) + ".";
    } else if (kind < 6) {
      s = name + " is within reach of its record close of " + with_commas(level * 1.02, 2) + " set on November " +
          std::to_string(std::uniform_int_distribution<int>(1, 28)(rng)) + ", 2021.";
    } else {
      s = pick(rng, filler);
    }
    out += s;
    out += (rng() % 4 == 0) ? "\n\n" : " ";
  }
  out += "\n";
  return out;
}

namespace {
uint64_t pair_key(uint32_t a, uint32_t b) { return (static_cast<uint64_t>(a) << 32) | b; }
}  // namespace

MarkovText::MarkovText(const std::vector<std::string>& texts) {
  std::unordered_map<std::string, uint32_t> ids;
  words_.push_back("");
  auto id_of = [&](const std::string& w) {
    auto [it, fresh] = ids.emplace(w, static_cast<uint32_t>(words_.size()));
    if (fresh) words_.push_back(w);
    return it->second;
  };
  for (const std::string& text : texts) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      std::vector<uint32_t> para;
      for (size_t i = pos; i < nl;) {
        while (i < nl && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
        size_t j = i;
        while (j < nl && text[j] != ' ' && text[j] != '\t' && text[j] != '\r') ++j;
        if (j > i) para.push_back(id_of(text.substr(i, j - i)));
        i = j;
      }
      pos = nl + 1;
      if (para.empty()) continue;
      uint32_t a = 0, b = 0;
      for (uint32_t w : para) {
        next_[pair_key(a, b)].push_back(w);
        a = b;
        b = w;
      }
      next_[pair_key(a, b)].push_back(0);
    }
  }
}

std::string MarkovText::article(std::mt19937_64& rng, size_t bytes) const {
  std::string out;
  if (empty()) return out;
  while (out.size() < bytes) {
    uint32_t a = 0, b = 0;
    size_t start = out.size();
    for (int n = 0; n < 200; ++n) {  // paragraphs stay paragraph-sized
      auto it = next_.find(pair_key(a, b));
      if (it == next_.end()) break;
      const auto& v = it->second;
      uint32_t w = v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
      if (w == 0) break;
      if (out.size() > start) out.push_back(' ');
      for (char c : words_[w])  // same shape, other digits
        out.push_back(c >= '0' && c <= '9' && (rng() & 1) ? static_cast<char>('0' + rng() % 10) : c);
      a = b;
      b = w;
    }
    if (out.size() > start) out += "\n\n";
  }
  return out;
}

}  // namespace claimcheck
