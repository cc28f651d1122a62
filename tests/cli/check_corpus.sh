#!/usr/bin/env bash
# The cross-check on the bundled corpus scored against corpus/gold: no false alarm, and at
# least the number of planted conflicts found when this test was written (a floor).
set -u
bin=$1; src=$2
score="$src/../shared/tools/score.py"
floor=${CHECK_CORPUS_FLOOR:-22}
[ -f "$score" ] || { echo "no ../shared/tools/score.py: skipped"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bin" check "$src/corpus" --format json >"$out" 2>/dev/null || { echo "check failed"; exit 1; }
res=$(python3 "$score" conflicts "$src/corpus" "$src/corpus/gold" "$out" --verbose) || exit 1
echo "$res"
line=$(echo "$res" | tail -n 1)
found=$(echo "$line" | sed -n 's/.*found=\([0-9]*\)\/.*/\1/p')
fa=$(echo "$line" | sed -n 's/.*false_alarms=\([0-9]*\)\/.*/\1/p')
[ -n "$found" ] && [ -n "$fa" ] || { echo "FAIL: cannot read the score line"; exit 1; }
[ "$fa" -eq 0 ] || { echo "FAIL: $fa false alarm(s)"; exit 1; }
[ "$found" -ge "$floor" ] || { echo "FAIL: found $found planted conflicts, floor is $floor"; exit 1; }
# Every record is valid JSON with the documented fields; ids run 1..n; fingerprints are unique.
python3 - "$out" <<'PY' || exit 1
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
keys = ["id", "fingerprint", "kind", "severity", "subject", "metric", "claims", "explanation", "suggestion", "status", "note"]
for i, r in enumerate(recs, 1):
    assert list(r) == keys, list(r)
    assert r["id"] == i
    assert r["kind"] in ("value_mismatch", "date_mismatch", "mistranslation", "timing_explained")
    assert r["severity"] in ("high", "medium", "low")
    assert len({c["article"] for c in r["claims"]}) >= 2, r
    for c in r["claims"]:
        assert list(c) == ["article", "start", "end", "quote", "value", "as_of", "event_date", "basis"], list(c)
assert len({r["fingerprint"] for r in recs}) == len(recs)
print(len(recs), "records ok")
PY
# The same input gives the same report (fingerprints are stable).
"$bin" check "$src/corpus" --format json 2>/dev/null | cmp -s - "$out" || { echo "FAIL: report differs between runs"; exit 1; }
echo ok
