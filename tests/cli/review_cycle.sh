#!/usr/bin/env bash
# The editor's cycle on the database: ingest (check runs), report, review,
# re-ingest and re-check: decisions stay with their conflicts, ids are stable,
# a dismissed conflict leaves the default report.
set -u
bin=$1; src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
db=$tmp/c.sqlite
cp -r "$src/corpus" "$tmp/corpus"
"$bin" -q ingest "$tmp/corpus" --db "$db" || fail "ingest"
"$bin" report --db "$db" --format json >"$tmp/r1.jsonl" || fail "report"
n1=$(wc -l <"$tmp/r1.jsonl")
[ "$n1" -gt 0 ] || fail "no conflicts reported on the corpus"
id=$(python3 -c "import json,sys; print(json.loads(open(sys.argv[1]).readline())['id'])" "$tmp/r1.jsonl")
fp=$(python3 -c "import json,sys; print(json.loads(open(sys.argv[1]).readline())['fingerprint'])" "$tmp/r1.jsonl")
"$bin" review "$id" --status dismissed --note "checked with the exchange" --db "$db" || fail "review"
"$bin" review 999999 --status dismissed --db "$db" 2>/dev/null && fail "review of a missing id succeeded"
# Re-ingest everything and re-check: the decision survives.
"$bin" -q ingest "$tmp/corpus" --db "$db" --force || fail "re-ingest"
"$bin" report --db "$db" --format json >"$tmp/r2.jsonl"
grep -q "\"$fp\"" "$tmp/r2.jsonl" && fail "a dismissed conflict is still in the default report"
[ "$(wc -l <"$tmp/r2.jsonl")" -eq $((n1 - 1)) ] || fail "default report should have one conflict fewer"
"$bin" report --db "$db" --format json --status all >"$tmp/r3.jsonl"
python3 - "$tmp/r3.jsonl" "$fp" "$id" <<'PY' || fail "the dismissed conflict lost its id, status or note"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
hit = [r for r in rows if r["fingerprint"] == sys.argv[2]]
assert len(hit) == 1, hit
r = hit[0]
assert r["status"] == "dismissed" and r["note"] == "checked with the exchange" and str(r["id"]) == sys.argv[3], r
PY
# Touching one article's text does not disturb the other conflicts' ids.
python3 - "$tmp/r1.jsonl" "$tmp/r3.jsonl" <<'PY' || fail "conflict ids changed across a re-check"
import json, sys
a = {json.loads(l)["fingerprint"]: json.loads(l)["id"] for l in open(sys.argv[1])}
b = {json.loads(l)["fingerprint"]: json.loads(l)["id"] for l in open(sys.argv[2])}
assert all(b[k] == v for k, v in a.items() if k in b), "ids moved"
PY
# Filters: by subject.
subj=$(python3 -c "import json,sys; print(json.loads(open(sys.argv[1]).readline())['subject'])" "$tmp/r2.jsonl")
"$bin" report --db "$db" --format json --subject "$subj" >"$tmp/r4.jsonl"
python3 -c "import json,sys; assert all(json.loads(l)['subject']==sys.argv[2] for l in open(sys.argv[1]))" "$tmp/r4.jsonl" "$subj" || fail "subject filter"
# HTML is one self-contained file.
"$bin" -q report --db "$db" --format html --out "$tmp/r.html" || fail "html report"
grep -qiE '<(script|link|img)[^>]+(src|href)=.(https?:|//)' "$tmp/r.html" && fail "html report loads external assets"
# check of the database: a dismissed conflict no longer fails a pipeline.
"$bin" check --db "$db" --format json >"$tmp/c.jsonl" || true
grep -q "\"$fp\"" "$tmp/c.jsonl" && fail "check of the database shows a dismissed conflict"
high=$(grep -c '"severity":"high"' "$tmp/c.jsonl")
"$bin" check --db "$db" --fail-on high >/dev/null 2>&1; code=$?
if [ "$high" -gt 0 ]; then [ "$code" -eq 4 ] || fail "--fail-on high should exit 4 with $high open high conflicts"; fi
echo "review_cycle: ok ($n1 conflicts, one dismissed and kept through re-ingest)"
