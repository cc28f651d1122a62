#!/usr/bin/env bash
# The cross-check on ../shared/seeds, scored by the outside scorer (skipped when absent):
# both gold conflicts found with their gold kind, no trap or agreement reported above low.
set -u
bin=$1; src=$2
shared="$src/../shared"
[ -d "$shared/seeds/gold" ] && [ -f "$shared/tools/score.py" ] || { echo "no ../shared/seeds: skipped"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bin" check "$shared/seeds" --format json >"$out" || { echo "check failed"; exit 1; }
res=$(python3 "$shared/tools/score.py" conflicts "$shared/seeds" "$shared/seeds/gold" "$out" --verbose) || exit 1
echo "$res"
line=$(echo "$res" | tail -n 1)
echo "$line" | grep -q "found=2/2 kind_right=2/2 false_alarms=0/" || { echo "FAIL: expected found=2/2 kind_right=2/2 false_alarms=0"; exit 1; }
# The mistranslation names the likely reading.
grep '"kind":"mistranslation"' "$out" | grep -q '"suggestion":{"event_date":"2021-11-08"}' ||
  { echo "FAIL: the mistranslation does not suggest 2021-11-08"; exit 1; }
# --fail-on medium trips on the open mistranslation; --fail-on high does not (no high conflict on the seeds).
"$bin" check "$shared/seeds" --fail-on medium >/dev/null 2>&1; rc=$?
[ "$rc" -eq 4 ] || { echo "FAIL: --fail-on medium exit $rc, want 4"; exit 1; }
"$bin" check "$shared/seeds" --fail-on high >/dev/null 2>&1; rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL: --fail-on high exit $rc, want 0"; exit 1; }
# Filters.
n=$("$bin" check "$shared/seeds" --format json --kind timing_explained | wc -l)
[ "$n" -eq 1 ] || { echo "FAIL: --kind timing_explained gave $n conflicts"; exit 1; }
n=$("$bin" check "$shared/seeds" --format json --subject SPX | wc -l)
[ "$n" -eq 0 ] || { echo "FAIL: --subject SPX gave $n conflicts"; exit 1; }
echo ok
