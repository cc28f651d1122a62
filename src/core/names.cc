// @brief NameMatcher: Aho-Corasick over folded alias keys (see names.h).
#include "core/names.h"

#include <algorithm>
#include <deque>

namespace claimcheck {
namespace {

bool is_sep(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '-'; }
bool is_word(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

}  // namespace

void fold_key_into(std::string_view s, std::string* out) {
  out->clear();
  bool space = false;
  for (unsigned char c : s) {
    if (is_sep(c)) {
      space = !out->empty();
      continue;
    }
    if (space) out->push_back(' ');
    space = false;
    out->push_back(static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c));
  }
}

std::string fold_key(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  fold_key_into(s, &out);
  return out;
}

void fold_failure_links(std::vector<int32_t>* delta, uint32_t ncls, const std::function<void(int32_t, int32_t)>& link) {
  std::vector<int32_t>& d = *delta;
  std::vector<int32_t> fail(d.size() / ncls, 0);
  std::deque<int32_t> queue;
  for (uint32_t c = 0; c < ncls; ++c) {
    int32_t& v = d[c];
    if (v < 0) v = 0;
    else queue.push_back(v);
  }
  while (!queue.empty()) {
    const int32_t u = queue.front();
    queue.pop_front();
    const size_t fu = static_cast<size_t>(fail[static_cast<size_t>(u)]);
    for (uint32_t c = 0; c < ncls; ++c) {
      int32_t& v = d[static_cast<size_t>(u) * ncls + c];
      const int32_t via_fail = d[fu * ncls + c];
      if (v < 0) {
        v = via_fail;
        continue;
      }
      fail[static_cast<size_t>(v)] = via_fail;
      link(v, via_fail);
      queue.push_back(v);
    }
  }
}

void NameMatcher::add(const std::string& alias, bool exact_case, int value, double confidence) {
  const std::string key = fold_key(alias);
  if (key.empty()) return;
  auto [it, fresh] = index_.emplace(key, keys_.size());
  const size_t idx = it->second;
  if (fresh) {
    key_text_.push_back(key);
    keys_.emplace_back();
    keys_.back().length = static_cast<uint32_t>(key.size());
  }
  Key& kk = keys_[idx];
  // A later row for the same spelling replaces the earlier one, as in a table.
  for (auto e = kk.entries.begin(); e != kk.entries.end(); ++e)
    if (e->exact == exact_case && (!exact_case || e->alias == alias)) {
      kk.entries.erase(e);
      break;
    }
  kk.entries.push_back(Entry{alias, exact_case, value, confidence});
  std::stable_partition(kk.entries.begin(), kk.entries.end(), [](const Entry& e) { return e.exact; });
}

void NameMatcher::build() {
  // Byte classes: every byte some key uses gets its own; the rest share 0.
  std::fill(std::begin(cls_), std::end(cls_), 0);
  ncls_ = 1;
  for (const std::string& k : key_text_)
    for (unsigned char c : k)
      if (cls_[c] == 0) cls_[c] = static_cast<uint16_t>(ncls_++);
  for (int c = 'A'; c <= 'Z'; ++c) cls_[c] = cls_[c - 'A' + 'a'];
  for (int c = 0; c < 256; ++c)
    if (is_sep(static_cast<unsigned char>(c))) cls_[c] = cls_[static_cast<unsigned char>(' ')];

  // The trie.
  delta_.assign(ncls_, -1);
  key_at_.assign(1, -1);
  for (size_t k = 0; k < key_text_.size(); ++k) {
    int32_t s = 0;
    for (unsigned char c : key_text_[k]) {
      int32_t& next = delta_[static_cast<size_t>(s) * ncls_ + cls_[c]];
      if (next < 0) {
        next = static_cast<int32_t>(key_at_.size());
        key_at_.push_back(-1);
        delta_.resize(delta_.size() + ncls_, -1);
      }
      s = delta_[static_cast<size_t>(s) * ncls_ + cls_[c]];
    }
    key_at_[static_cast<size_t>(s)] = static_cast<int32_t>(k);
  }

  // Failure links, folded into a complete transition table.
  dict_.assign(key_at_.size(), -1);
  fold_failure_links(&delta_, ncls_, [&](int32_t v, int32_t via_fail) {
    dict_[static_cast<size_t>(v)] = key_at_[static_cast<size_t>(via_fail)] >= 0 ? via_fail : dict_[static_cast<size_t>(via_fail)];
  });
  size_t longest = 1;
  for (const Key& k : keys_) longest = std::max<size_t>(longest, k.length);
  ring_size_ = 1;
  while (ring_size_ <= longest) ring_size_ <<= 1;
  key_text_.clear();
  key_text_.shrink_to_fit();
  index_.clear();
  // 16-bit entries with the top bit marking states where a key ends: half the
  // memory of delta_ (3.7 MB for the gazetteer, more than the cache holds)
  // and one load per byte. delta_ stays for a gazetteer too large for it.
  next_.clear();
  if (key_at_.size() < kOutputBit) {
    next_.resize(delta_.size());
    for (size_t x = 0; x < delta_.size(); ++x) {
      const auto t = static_cast<size_t>(delta_[x]);
      next_[x] = static_cast<uint16_t>(t | (key_at_[t] >= 0 || dict_[t] >= 0 ? kOutputBit : 0));
    }
    delta_.clear();
    delta_.shrink_to_fit();
  }
}

std::vector<NameMatcher::Hit> NameMatcher::find(std::string_view text) const {
  std::vector<Hit> out;
  if (keys_.empty() || (delta_.empty() && next_.empty())) return out;
  // The original byte where each of the last few folded characters began (a
  // ring as long as the longest key), and the matches by folded position.
  struct Raw { size_t b, e; uint32_t k0; uint32_t k1; int32_t key; };
  thread_local std::vector<Raw> raw;  // reused: one call per paragraph
  thread_local std::vector<size_t> ring;
  raw.clear();
  if (ring.size() < ring_size_) ring.resize(ring_size_);
  const size_t mask = ring_size_ - 1;
  uint32_t k = 0;
  int32_t s = 0;
  // Locals for the loop: the ring's stores could alias members for the
  // compiler, which would then reload them at every byte.
  const char* const data = text.data();
  const size_t size = text.size();
  size_t* const rg = ring.data();
  const uint16_t* const next = next_.empty() ? nullptr : next_.data();
  const size_t ncls = ncls_;
  for (size_t i = 0; i < size;) {
    const unsigned char c = static_cast<unsigned char>(data[i]);
    size_t j = i + 1;
    if (is_sep(c))
      while (j < size && is_sep(static_cast<unsigned char>(data[j]))) ++j;
    rg[k & mask] = i;
    ++k;
    bool output;
    if (next) [[likely]] {
      const uint16_t t = next[static_cast<size_t>(s) * ncls + cls_[c]];
      s = t & ~kOutputBit;
      output = t & kOutputBit;
    } else {
      s = delta_[static_cast<size_t>(s) * ncls + cls_[c]];
      output = key_at_[static_cast<size_t>(s)] >= 0 || dict_[static_cast<size_t>(s)] >= 0;
    }
    // A key that ends inside a word is no name (most short keys do): dropped
    // here rather than sorted first; so is one that begins inside a word.
    if (output && (j >= text.size() || !is_word(text[j]) || !is_word(text[j - 1]))) {
      for (int32_t t = key_at_[static_cast<size_t>(s)] >= 0 ? s : dict_[static_cast<size_t>(s)]; t >= 0; t = dict_[static_cast<size_t>(t)]) {
        const int32_t key = key_at_[static_cast<size_t>(t)];
        const uint32_t k0 = k - keys_[static_cast<size_t>(key)].length;
        const size_t b = ring[k0 & mask];
        if (b == 0 || !is_word(text[b - 1]) || !is_word(text[b])) raw.push_back({b, j, k0, k, key});
      }
    }
    i = j;
  }
  // Leftmost first; at one place, longest first.
  std::sort(raw.begin(), raw.end(), [](const Raw& a, const Raw& b) {
    return a.k0 != b.k0 ? a.k0 < b.k0 : a.k1 > b.k1;
  });
  size_t pos = 0;  // no name may start before the end of the last one
  for (const Raw& r : raw) {
    const size_t b = r.b, e = r.e;
    if (b < pos) continue;  // the word boundaries at b and e were checked above
    const Entry* hit = nullptr;
    for (const Entry& en : keys_[static_cast<size_t>(r.key)].entries) {
      if (en.exact ? text.substr(b, e - b) == en.alias : true) {
        hit = &en;
        break;
      }
    }
    if (!hit) continue;
    out.push_back(Hit{b, e, hit->value, hit->confidence});
    pos = e;
  }
  return out;
}

}  // namespace claimcheck
