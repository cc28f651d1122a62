#!/usr/bin/env bash
# A weekly move listed under a heading ("The week in review") and the same
# index's move on the day are different facts: no conflict between them, while
# the same day's move given twice still agrees and a weekly list item keeps its week.
set -u
bin=$1; src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '{"published": "2024-11-16T09:00:00Z", "source": "Weekly Letter"}\n' > "$dir/a.meta.json"
printf 'THE WEEK IN MARKETS\n\nFriday in numbers\n- Nasdaq Composite: 18,680.12 (-2.2%%)\n\nThe week in review\n- Nasdaq Composite -3.2%%\n- S&P 500 -2.1%%\n\nSee you next week.\n' > "$dir/a.txt"
printf '{"published": "2024-11-15T22:00:00Z", "source": "Daily Wire"}\n' > "$dir/b.meta.json"
printf 'Stocks slid on Friday. The Nasdaq Composite fell 2.2%% to 18,680.12, and the S&P 500 lost 1.3%%.\n' > "$dir/b.txt"
"$bin" extract "$dir/a.txt" > "$dir/a.jsonl" || { echo "extract failed"; exit 1; }
grep '"value":-2.1' "$dir/a.jsonl" | grep -q '"period_start":"2024-11-11","period_end":"2024-11-15"' ||
  { echo "FAIL: the S&P 500 -2.1% under 'The week in review' is not the week 2024-11-11..2024-11-15"; cat "$dir/a.jsonl"; exit 1; }
grep '"value":-2.2' "$dir/a.jsonl" | grep -q '"period_start":"2024-11-15","period_end":"2024-11-15"' ||
  { echo "FAIL: the day's -2.2% after a blank line took the week"; cat "$dir/a.jsonl"; exit 1; }
out=$("$bin" check "$dir" --format json) || { echo "check failed"; exit 1; }
if echo "$out" | grep -q '"severity":"\(high\|medium\)"'; then
  echo "FAIL: a weekly and a daily move reported as a conflict:"; echo "$out"; exit 1
fi
echo ok
