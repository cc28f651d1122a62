// @brief NameMatcher: a trie of folded alias keys, walked from word starts (see names.h).
#include "core/names.h"

#include <algorithm>
#include <deque>
#include <stdexcept>

namespace claimcheck {
namespace {

bool is_sep(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '-'; }
constexpr bool is_word(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// is_word() as a table, for the loops that read every byte.
struct WordTable {
  bool word[256] = {};
  constexpr WordTable() {
    for (int c = 0; c < 256; ++c) word[c] = is_word(static_cast<char>(c));
  }
};
constexpr WordTable kWord;

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

  // The dense trie first: states x classes -> next state (0: none).
  std::vector<uint32_t> dense(ncls_, 0);
  std::vector<int32_t> key_at(1, -1);
  for (size_t k = 0; k < key_text_.size(); ++k) {
    size_t s = 0;
    for (unsigned char c : key_text_[k]) {
      const size_t at = s * ncls_ + cls_[c];
      if (dense[at] == 0) {
        dense[at] = static_cast<uint32_t>(key_at.size());
        key_at.push_back(-1);
        dense.resize(dense.size() + ncls_, 0);
      }
      s = dense[at];
    }
    key_at[s] = static_cast<int32_t>(k);
  }

  // Then packed, depth first. A node with more children than this gets a
  // dense row: a linear search of the short lists is cheaper than a miss.
  constexpr uint32_t kDenseFrom = 8;
  nodes_.assign(2, 0);  // no node at offset 0: a child word of 0 is no edge
  std::vector<uint32_t> offset(key_at.size(), 0);
  struct Pending { uint32_t state; uint32_t slot; };  // a child word to fill once the child is placed
  std::vector<Pending> fix;
  std::vector<uint32_t> stack;
  for (uint32_t c = ncls_; c-- > 0;)
    if (dense[c] != 0) stack.push_back(dense[c]);
  while (!stack.empty()) {
    const uint32_t s = stack.back();
    stack.pop_back();
    if (nodes_.size() >= kKeyBit) throw std::length_error("gazetteer too large for the name trie");
    offset[s] = static_cast<uint32_t>(nodes_.size());
    uint32_t n = 0;
    for (uint32_t c = 0; c < ncls_; ++c) n += dense[s * ncls_ + c] != 0;
    const bool rowed = n >= kDenseFrom;
    nodes_.push_back(rowed ? kDenseBit : n);
    nodes_.push_back(static_cast<uint32_t>(key_at[s]));
    const size_t body = nodes_.size();
    nodes_.resize(body + (rowed ? ncls_ : 2 * n), 0);
    size_t pair = body;
    for (uint32_t c = 0; c < ncls_; ++c) {
      const uint32_t child = dense[s * ncls_ + c];
      if (child == 0) continue;
      if (rowed) {
        fix.push_back({child, static_cast<uint32_t>(body + c)});
      } else {
        nodes_[pair] = c;
        fix.push_back({child, static_cast<uint32_t>(pair + 1)});
        pair += 2;
      }
    }
    for (uint32_t c = ncls_; c-- > 0;)
      if (const uint32_t child = dense[s * ncls_ + c]; child != 0) stack.push_back(child);
  }
  auto word_for = [&](uint32_t state) { return offset[state] | (key_at[state] >= 0 ? kKeyBit : 0u); };
  for (const Pending& p : fix) nodes_[p.slot] = word_for(p.state);
  root_.assign(ncls_, 0);
  for (uint32_t c = 0; c < ncls_; ++c)
    if (dense[c] != 0) root_[c] = word_for(dense[c]);
  key_text_.clear();
  key_text_.shrink_to_fit();
  index_.clear();
}

inline uint32_t NameMatcher::step(uint32_t node, uint32_t cls) const {
  const uint32_t* const n = nodes_.data() + node;
  if (n[0] & kDenseBit) return n[2 + cls];
  const uint32_t count = n[0];
  for (uint32_t k = 0; k < count; ++k)
    if (n[2 + 2 * k] == cls) return n[3 + 2 * k];
  return 0;
}

std::vector<NameMatcher::Hit> NameMatcher::find(std::string_view text) const {
  std::vector<Hit> out;
  if (keys_.empty() || root_.empty()) return out;
  // The keys that end along one walk, and where (shortest first).
  struct End { size_t e; int32_t key; };
  thread_local std::vector<End> ends;  // reused: one call per paragraph
  const unsigned char* const data = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  const uint32_t* const root = root_.data();
  const uint32_t* const nodes = nodes_.data();
  const bool* const word = kWord.word;
  for (size_t b = 0; b < size; ++b) {
    // A name begins where no letter or digit joins it on the left: at the
    // first of a run of them, or at any other character.
    const bool in_word = word[data[b]];
    uint32_t t = root[cls_[data[b]]];
    if (t == 0) {
      if (in_word)  // the rest of the word begins nothing
        while (b + 1 < size && word[data[b + 1]]) ++b;
      continue;
    }
    ends.clear();
    for (size_t i = b + 1;;) {
      const uint32_t s = t & ~kKeyBit;
      // ... and ends where none joins it on the right.
      if ((t & kKeyBit) && (i >= size || !word[data[i]] || !word[data[i - 1]]))
        ends.push_back({i, static_cast<int32_t>(nodes[s + 1])});
      if (i >= size) break;
      const unsigned char c = data[i];
      t = step(s, cls_[c]);
      if (t == 0) break;
      ++i;
      if (is_sep(c))
        while (i < size && is_sep(data[i])) ++i;
    }
    // Longest first; an exact-case alias must match its bytes.
    bool found = false;
    for (auto end = ends.rbegin(); end != ends.rend() && !found; ++end) {
      for (const Entry& en : keys_[static_cast<size_t>(end->key)].entries) {
        if (!en.exact || text.substr(b, end->e - b) == en.alias) {
          out.push_back(Hit{b, end->e, en.value, en.confidence});
          b = end->e - 1;  // names do not overlap: the next begins at e or later
          found = true;
          break;
        }
      }
    }
    if (!found && in_word)
      while (b + 1 < size && word[data[b + 1]]) ++b;
  }
  return out;
}

}  // namespace claimcheck
