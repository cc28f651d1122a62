#!/usr/bin/env bash
# Crash safety: an ingest killed with SIGKILL at random points never leaves a
# duplicate or half an article, and re-running it gives the database an
# uninterrupted run gives (same articles, same claims, same offsets).
set -u
bin=$1
tmp=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v sqlite3 >/dev/null || fail "sqlite3 (the command-line shell) is needed: scripts/install-deps"

# Under the sanitizers extraction is about 20 times slower: half the corpus,
# and three of the five kill-and-resume runs (batches of 64, 7 and 1).
mb=0.8 least=250 runs=5
[ "${CLAIMCHECK_SANITIZE:-0}" = 1 ] && mb=0.4 least=120 runs=3
"$bin" bench-ingest --mb $mb --article-size 2500 --seed 11 --dir "$tmp/g" --generate-only -q || fail "cannot generate the corpus"
corpus=$tmp/g/corpus
total=$(find "$corpus" -name '*.txt' | wc -l)
[ "$total" -ge $least ] || fail "only $total articles generated"

# Article and claim content, no ids, no timestamps, one line per claim (articles
# without claims appear once with empty claim fields).
dump() {
  sqlite3 -separator '|' "$1" "SELECT a.path, a.hash, a.published, a.source_id IS NOT NULL, c.start, c.end, c.subject,
    c.metric, c.value, c.unit, c.qualifier, c.lo, c.hi, c.as_of, c.as_of_basis, c.basis, c.event_date, c.record,
    c.confidence, c.rule, c.flags, c.quote
    FROM articles a LEFT JOIN claims c ON c.article_id = a.id" | LC_ALL=C sort
}
count() { sqlite3 "$1" "SELECT COUNT(*) FROM articles" 2>/dev/null || echo 0; }

"$bin" ingest "$corpus" --db "$tmp/ref.sqlite" --threads 2 -q || fail "reference ingest failed"
dump "$tmp/ref.sqlite" >"$tmp/ref.dump"
[ "$(count "$tmp/ref.sqlite")" -eq "$total" ] || fail "reference run stored $(count "$tmp/ref.sqlite") of $total articles"
[ "$(wc -l <"$tmp/ref.dump")" -gt "$total" ] || fail "reference run found too few claims"

# Every article present in $1 must have exactly the reference's rows.
check_partial() {
  dump "$1" >"$tmp/part.dump" 2>/dev/null
  cut -d'|' -f1 "$tmp/part.dump" | sort -u >"$tmp/part.paths"
  awk -F'|' 'NR == FNR { keep[$1] = 1; next } ($1 in keep)' "$tmp/part.paths" "$tmp/ref.dump" >"$tmp/ref.part"
  cmp -s "$tmp/part.dump" "$tmp/ref.part" || {
    diff "$tmp/ref.part" "$tmp/part.dump" | head -5
    fail "run $2: the killed database holds an article whose claims differ from an uninterrupted run's (half-stored?)"
  }
  # (Killed before the schema was created: no tables, nothing to check.)
  sqlite3 "$1" "SELECT 1 FROM claims LIMIT 1" >/dev/null 2>&1 || return 0
  dups=$(sqlite3 "$1" "SELECT COUNT(*) FROM (SELECT article_id, start, end, subject, metric, value FROM claims
    GROUP BY 1, 2, 3, 4, 5, 6 HAVING COUNT(*) > 1)")
  ref_dups=$(sqlite3 "$tmp/ref.sqlite" "SELECT COUNT(*) FROM (SELECT article_id, start, end, subject, metric, value
    FROM claims GROUP BY 1, 2, 3, 4, 5, 6 HAVING COUNT(*) > 1)")
  [ "$dups" -le "$ref_dups" ] || fail "run $2: duplicate claims after a kill"
}

# Starts an ingest, waits until at least $2 articles are stored (or it ends),
# waits a random few milliseconds more and kills it with SIGKILL.
kill_at() {
  local db=$1 target=$2 batch=$3
  "$bin" ingest "$corpus" --db "$db" --threads 2 --batch "$batch" -q 2>>"$tmp/killed.err" &
  local pid=$! tries=0
  while kill -0 "$pid" 2>/dev/null && [ "$(count "$db")" -lt "$target" ] && [ $tries -lt 3000 ]; do
    sleep 0.01
    tries=$((tries + 1))
  done
  sleep "0.0$((RANDOM % 10))"
  if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
  wait "$pid" 2>/dev/null
}

killed=0
partial=0
for run in $(seq 1 "$runs"); do
  db=$tmp/run$run.sqlite
  batches=(64 7 1 64 16)
  batch=${batches[$((run - 1))]}
  kill_at "$db" $((1 + RANDOM % (total * 3 / 4))) "$batch"
  n=$(count "$db")
  [ "$n" -lt "$total" ] && partial=$((partial + 1))
  check_partial "$db" "$run (first kill, $n articles stored)"
  # Kill the resumed run too.
  if [ "$n" -lt "$total" ]; then
    kill_at "$db" $((n + 1 + RANDOM % (total - n))) "$batch"
    check_partial "$db" "$run (second kill, $(count "$db") articles stored)"
  fi
  "$bin" ingest "$corpus" --db "$db" --threads 2 -q || fail "run $run: the ingest after the kills failed"
  dump "$db" >"$tmp/final.dump"
  cmp -s "$tmp/final.dump" "$tmp/ref.dump" || {
    diff "$tmp/ref.dump" "$tmp/final.dump" | head -5
    fail "run $run: after kills and a re-run the database differs from an uninterrupted run's"
  }
  [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "run $run: integrity_check failed"
  echo "run $run: killed at $n/$total articles (batch $batch), resumed, equal to the uninterrupted run"
done
[ "$killed" -ge 1 ] || fail "no run was still going when killed: the test killed nothing"
[ "$partial" -ge 1 ] || fail "no kill interrupted the ingest before the end"
if grep -q "locked\|claimcheck:" "$tmp/killed.err"; then cat "$tmp/killed.err"; fail "errors from the killed runs"; fi
echo "ingest_kill: ok ($killed kills of live ingests, $partial left a partial database)"
