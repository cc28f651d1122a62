#!/usr/bin/env bash
# The HTML report as a person sees it: rendered by headless Chromium (skipped without it).
# Checks that the conflict rows are there and that a filter (read from the URL fragment)
# hides the rows that do not match.
set -u
bin=$1; src=$2
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "no $chromium (scripts/install-deps browser): skipped"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" check "$src/corpus" --format html --out "$dir/report.html" 2>/dev/null || { echo "check failed"; exit 1; }
"$bin" check "$src/corpus" --format json 2>/dev/null >"$dir/report.jsonl"
total=$(wc -l <"$dir/report.jsonl")
high=$(grep -c '"severity":"high"' "$dir/report.jsonl")
[ "$total" -gt 0 ] && [ "$high" -gt 0 ] && [ "$high" -lt "$total" ] || { echo "FAIL: need high and other conflicts ($high/$total)"; exit 1; }
render() {  # URL -> DOM after scripts ran
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d -p "$dir")" \
    --dump-dom "$1" 2>/dev/null
}
render "file://$dir/report.html" >"$dir/all.html" || { echo "FAIL: chromium could not render"; exit 1; }
rows=$(grep -o '<section class="conflict[^>]*>' "$dir/all.html" | wc -l)
hidden=$(grep -o '<section class="conflict[^>]*>' "$dir/all.html" | grep -c 'hidden')
echo "unfiltered: $rows rows, $hidden hidden (report has $total)"
[ "$rows" -eq "$total" ] && [ "$hidden" -eq 0 ] || { echo "FAIL: all rows should show"; exit 1; }
grep -q "$total of $total shown" "$dir/all.html" || { echo "FAIL: counter not updated by the script"; exit 1; }
grep -q '<mark>' "$dir/all.html" || { echo "FAIL: no highlighted number"; exit 1; }

render "file://$dir/report.html#severity=high" >"$dir/high.html" || { echo "FAIL: chromium could not render"; exit 1; }
shown=$(grep -o '<section class="conflict[^>]*>' "$dir/high.html" | grep -vc 'hidden')
hidden=$(grep -o '<section class="conflict[^>]*>' "$dir/high.html" | grep -c 'hidden')
wrong=$(grep -o '<section class="conflict[^>]*>' "$dir/high.html" | grep -v 'hidden' | grep -vc 'data-severity="high"')
echo "#severity=high: $shown shown, $hidden hidden"
[ "$shown" -eq "$high" ] && [ "$hidden" -eq $((total - high)) ] && [ "$wrong" -eq 0 ] ||
  { echo "FAIL: the severity filter did not hide the other rows"; exit 1; }
grep -q "$high of $total shown" "$dir/high.html" || { echo "FAIL: counter after filtering"; exit 1; }

kind=timing_explained
nk=$(grep -c "\"kind\":\"$kind\"" "$dir/report.jsonl")
render "file://$dir/report.html#kind=$kind&subject=SPX" >"$dir/kind.html" || exit 1
shown=$(grep -o '<section class="conflict[^>]*>' "$dir/kind.html" | grep -v 'hidden' | wc -l)
want=$(python3 -c "import json,sys; print(sum(1 for l in open('$dir/report.jsonl') if (r:=json.loads(l))['kind']=='$kind' and r['subject']=='SPX'))")
echo "#kind=$kind&subject=SPX: $shown shown (want $want; $nk of kind)"
[ "$shown" -eq "$want" ] || { echo "FAIL: kind+subject filter"; exit 1; }
echo ok
