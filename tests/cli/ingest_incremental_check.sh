#!/usr/bin/env bash
# The check that ends an ingest reads only the subjects whose claims changed
# since the last check, and leaves the same conflict rows (ids, texts, cited
# claims) as a full `claimcheck check` of the same database. A new rules
# folder (or binary) makes it check everything; marks left by --no-check wait
# for the next check.
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v sqlite3 >/dev/null || fail "sqlite3 (the command-line shell) is needed: scripts/install-deps"
rules=$(cd "$2" && pwd)/rules

"$bin" bench-ingest --mb 0.6 --article-size 3000 --seed 11 --dir "$tmp/g" --generate-only -q || fail "cannot generate the corpus"
corpus=$tmp/g/corpus
db=$tmp/c.sqlite
rows() {
  sqlite3 -separator '|' "$1" "SELECT id, fingerprint, kind, severity, subject, metric, explanation,
    COALESCE(suggestion, ''), claims FROM conflicts ORDER BY id"
}
summary() { "$bin" --rules "${RULES:-$rules}" ingest "$corpus" --db "$db" --threads 2 "$@" 2>"$tmp/err" | grep '^check:'; }

out=$(summary) || fail "first ingest"
echo "$out" | grep -q "subjects (all)" || fail "the first check is not full: $out"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM dirty_subjects')" = 0 ] || fail "marks left after the check"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM conflicts')" -gt 5 ] || fail "too few conflicts to test with"

out=$(summary) || fail "second ingest"
echo "$out" | grep -q "^check: 0 subjects with changed claims" || fail "unchanged files were checked again: $out"

# Change one figure in three articles (each with a different subject count).
changed=0
for f in $(grep -l -E ' [0-9]+\.[0-9]%' "$corpus"/*/*.txt | head -3); do
  sed -i -E '0,/ ([0-9]+)\.([0-9])%/s// \1.\2\2%/' "$f"
  changed=$((changed + 1))
done
[ $changed = 3 ] || fail "could not find three articles to change"
out=$(summary) || fail "ingest after the change"
n=$(echo "$out" | sed -n 's/^check: \([0-9]*\) subjects with changed claims.*/\1/p')
total=$(sqlite3 "$db" 'SELECT count(DISTINCT subject) FROM claims')
[ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -lt "$total" ] || fail "expected some of $total subjects checked: $out"
rows "$db" >"$tmp/incremental"
cp "$db" "$tmp/full.sqlite"
"$bin" --rules "$rules" check --db "$tmp/full.sqlite" --format json >/dev/null || fail "full check"
rows "$tmp/full.sqlite" >"$tmp/full"
cmp -s "$tmp/incremental" "$tmp/full" || { diff "$tmp/incremental" "$tmp/full" | head -5; fail "incremental and full checks differ"; }

# Stored with --no-check: the marks wait for the next check, which then
# gives the full check's rows again.
f=$(grep -l -E ' [0-9]+\.[0-9]%' "$corpus"/*/*.txt | tail -1)
sed -i -E '0,/ ([0-9]+)\.([0-9])%/s// \1.\2\2%/' "$f"
"$bin" --rules "$rules" ingest "$corpus" --db "$db" --threads 2 --no-check -q || fail "ingest --no-check"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM dirty_subjects')" -gt 0 ] || fail "no marks after ingest --no-check"
out=$(summary) || fail "ingest after --no-check"
echo "$out" | grep -q "^check: [1-9][0-9]* subjects with changed claims" || fail "the marks were not checked: $out"
cp "$db" "$tmp/full2.sqlite"
"$bin" --rules "$rules" check --db "$tmp/full2.sqlite" --format json >/dev/null || fail "second full check"
[ "$(rows "$db")" = "$(rows "$tmp/full2.sqlite")" ] || fail "after --no-check: incremental and full checks differ"

# Other rules (one comment added): everything is checked again.
cp -r "$rules" "$tmp/rules2"
f=$(find "$tmp/rules2" -name '*.rules' | head -1)
[ -n "$f" ] || fail "no .rules file to change"
echo "# a comment" >>"$f"
out=$(RULES=$tmp/rules2 summary) || fail "ingest with other rules: $(cat "$tmp/err")"
echo "$out" | grep -q "subjects (all)" || fail "other rules did not make the check full: $out"
echo "ok: incremental check ($n of $total subjects) equals the full check"
