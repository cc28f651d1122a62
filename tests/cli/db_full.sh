#!/usr/bin/env bash
# A full disk, simulated with a database size cap: the ingest stops with one
# clear line and exit 5, every article stored before is complete, nothing is
# half-written, and a later run without the cap finishes the job.
set -u
bin=$1; src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p "$tmp/a" "$tmp/b"
i=0
for f in "$src"/corpus/*.txt; do
  i=$((i + 1))
  d=$tmp/a; [ $((i % 2)) -eq 0 ] && d=$tmp/b
  cp "$f" "$d/"; cp "${f%.txt}.meta.json" "$d/" 2>/dev/null || true
done
# The reference: everything, no cap.
"$bin" -q ingest "$tmp/a" "$tmp/b" --db "$tmp/ref.sqlite" --no-check || fail "reference ingest"
per_article() { "$bin" query "SELECT a.ident, COUNT(c.id) FROM articles a LEFT JOIN claims c ON c.article_id = a.id GROUP BY a.ident ORDER BY a.ident" --db "$1" --format csv; }
per_article "$tmp/ref.sqlite" >"$tmp/ref.csv"
# Half first, then the rest with a cap just above the current size.
"$bin" -q ingest "$tmp/a" --db "$tmp/t.sqlite" --no-check || fail "first half"
size_mb=$(python3 -c "import os; print(os.path.getsize('$tmp/t.sqlite') / 1048576 + 0.02)")
"$bin" ingest "$tmp/a" "$tmp/b" --db "$tmp/t.sqlite" --db-max-mb "$size_mb" --batch 4 --no-check >/dev/null 2>"$tmp/err"
code=$?
cat "$tmp/err"
[ "$code" -eq 5 ] || fail "exit $code, want 5 (database error)"
grep -q "disk is full" "$tmp/err" || fail "no clear 'disk is full' message"
[ "$(grep -c . "$tmp/err")" -le 2 ] || fail "more than a line or two of errors"
# Every article in the capped database has exactly its reference claims.
per_article "$tmp/t.sqlite" >"$tmp/t.csv"
python3 - "$tmp/ref.csv" "$tmp/t.csv" <<'PY' || fail "an article is half-stored after the disk filled"
import csv, sys
ref = {r[0]: r[1] for r in csv.reader(open(sys.argv[1]))}
got = {r[0]: r[1] for r in csv.reader(open(sys.argv[2]))}
assert got, "nothing stored"
for k, v in got.items():
    assert ref.get(k) == v, (k, v, ref.get(k))
PY
# Without the cap the same command completes to the reference.
"$bin" -q ingest "$tmp/a" "$tmp/b" --db "$tmp/t.sqlite" --no-check || fail "the run after the disk was freed"
per_article "$tmp/t.sqlite" >"$tmp/t2.csv"
cmp -s "$tmp/ref.csv" "$tmp/t2.csv" || fail "after freeing space the database differs from an uncapped run"
echo "db_full: ok"
