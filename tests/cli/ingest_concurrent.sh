#!/usr/bin/env bash
# Two ingests at once on the same database (and a reader querying meanwhile)
# both finish (exit 0) with no "database is locked", and the database ends as
# one ingest alone would leave it.
set -u
bin=$1
tmp=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v sqlite3 >/dev/null || fail "sqlite3 (the command-line shell) is needed: scripts/install-deps"

"$bin" bench-ingest --mb 0.75 --article-size 2500 --seed 5 --dir "$tmp/g" --generate-only -q || fail "cannot generate the corpus"
corpus=$tmp/g/corpus
# A second folder so that the two runs also write different articles.
mkdir -p "$tmp/more"
for i in $(seq 1 40); do
  printf 'The Dow Jones Industrial Average rose %d.%d%% on Monday.\n' $((i % 3)) $((i % 10)) >"$tmp/more/m$i.txt"
  echo '{"published": "2024-11-26"}' >"$tmp/more/m$i.meta.json"
done

dump() {
  sqlite3 -separator '|' "$1" "SELECT a.path, a.hash, c.start, c.end, c.subject, c.metric, c.value, c.as_of, c.quote
    FROM articles a LEFT JOIN claims c ON c.article_id = a.id" | LC_ALL=C sort
}
"$bin" ingest "$corpus" "$tmp/more" --db "$tmp/ref.sqlite" --threads 2 -q || fail "reference ingest failed"
dump "$tmp/ref.sqlite" >"$tmp/ref.dump"

for round in 1 2; do
  db=$tmp/both$round.sqlite
  # Round 1: both on a database that does not exist yet (both create and migrate it).
  # Round 2: small batches, so that the writers take turns hundreds of times.
  if [ $round -eq 1 ]; then batch=64; else batch=2; fi
  "$bin" ingest "$corpus" "$tmp/more" --db "$db" --threads 1 --batch $batch --json >"$tmp/a.json" 2>"$tmp/a.err" &
  a=$!
  "$bin" ingest "$tmp/more" "$corpus" --db "$db" --threads 1 --batch $batch --json >"$tmp/b.json" 2>"$tmp/b.err" &
  b=$!
  # A reader meanwhile.
  for _ in $(seq 1 20); do "$bin" query facts --db "$db" --format csv >/dev/null 2>>"$tmp/q.err"; sleep 0.02; done
  wait $a; ca=$?
  wait $b; cb=$?
  cat "$tmp/a.err" "$tmp/b.err"
  [ $ca -eq 0 ] || fail "round $round: first ingest exited $ca"
  [ $cb -eq 0 ] || fail "round $round: second ingest exited $cb"
  if grep -qi "locked" "$tmp/a.err" "$tmp/b.err" "$tmp/q.err"; then fail "round $round: 'locked' reported"; fi
  dump "$db" >"$tmp/both.dump"
  cmp -s "$tmp/both.dump" "$tmp/ref.dump" || { diff "$tmp/ref.dump" "$tmp/both.dump" | head; fail "round $round: database differs from a single ingest's"; }
  # Between them every file was stored exactly once: the other run saw it unchanged.
  files=$(grep -o '"files":[0-9]*' "$tmp/a.json" | cut -d: -f2)
  new_a=$(grep -o '"new":[0-9]*' "$tmp/a.json" | cut -d: -f2)
  new_b=$(grep -o '"new":[0-9]*' "$tmp/b.json" | cut -d: -f2)
  [ $((new_a + new_b)) -eq "$files" ] || fail "round $round: $new_a + $new_b new articles, want $files"
  echo "round $round: both exited 0; $new_a + $new_b new articles of $files; same rows as one ingest"
done
echo "ingest_concurrent: ok"
