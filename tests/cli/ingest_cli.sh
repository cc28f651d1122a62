#!/usr/bin/env bash
# ingest, query and load from the command line: default database, idempotence,
# failure reporting and exit codes, read-only queries, database errors (exit 5,
# one line, nothing written).
set -u
bin=$1
tmp=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; chattr -i "$tmp/ro.sqlite" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v sqlite3 >/dev/null || fail "sqlite3 (the command-line shell) is needed: scripts/install-deps"
cd "$tmp" || exit 1

mkdir -p c/sub
printf 'The Dow Jones Industrial Average rose 1.2%% on Monday.\n' >c/dow.txt
echo '{"published": "2024-11-26", "source": "wire"}' >c/dow.meta.json
printf 'The S&P 500 fell 0.5%% on Friday to 5,900.\n' >c/sub/spx.txt
echo '{"published": "2024-11-26", "source": "blog"}' >c/sub/spx.meta.json
printf 'The Russell 2000 closed at 2,400 on Tuesday.\n' >c/sub/rut.txt
echo '{"published": "2024-11-27"}' >c/sub/rut.meta.json
printf 'The S&P 500 rose 1%% \xff\xfe on Monday.\n' >c/bad.txt

# Default database db/claims.sqlite, folder created; the bad file is named, the rest stored, exit 1.
"$bin" ingest c >out 2>err
code=$?
cat out err
[ $code -eq 1 ] || fail "exit code $code with a bad file, want 1"
[ -f db/claims.sqlite ] || fail "default database db/claims.sqlite not created"
grep -q "^c/bad.txt: invalid UTF-8 at byte" err || fail "bad file not reported as 'PATH: reason'"
[ "$(wc -l <err)" -eq 1 ] || fail "more than one stderr line for one bad file"
grep -q "4 files: 3 read (3 new, 0 changed, 0 skipped unchanged), 1 failed; [0-9]* claims stored" out || fail "summary"
[ "$(sqlite3 db/claims.sqlite 'PRAGMA user_version')" -ge 2 ] || fail "schema version not recorded"
[ "$(sqlite3 db/claims.sqlite 'PRAGMA journal_mode')" = wal ] || fail "not in WAL mode"

table_dump() {
  for t in sources articles claims conflicts reviews; do
    sqlite3 db/claims.sqlite "SELECT * FROM $t ORDER BY rowid" | sed 's/|20[0-9-]*T[0-9:]*Z$//'
  done
}
rm c/bad.txt
table_dump >dump1
"$bin" ingest c --json >out2 2>err2 || fail "second ingest failed"
grep -q '"files":3,"read":3,"new":0,"changed":0,"unchanged":3,"failed":0,"claims":0' out2 || { cat out2; fail "json summary of an unchanged re-run"; }
[ ! -s err2 ] || fail "second ingest printed on stderr"
table_dump >dump2
cmp -s dump1 dump2 || fail "a second ingest changed rows"

# Touch one file: only its claims change.
spx_ids=$(sqlite3 db/claims.sqlite "SELECT group_concat(c.id) FROM claims c JOIN articles a ON a.id = c.article_id WHERE a.path LIKE '%spx.txt'")
printf 'The Dow Jones Industrial Average fell 0.4%% on Tuesday.\n' >c/dow.txt
"$bin" ingest c --json >out3 || fail "third ingest failed"
grep -q '"changed":1,"unchanged":2' out3 || { cat out3; fail "a changed file not replaced"; }
[ "$(sqlite3 db/claims.sqlite "SELECT group_concat(c.id) FROM claims c JOIN articles a ON a.id = c.article_id WHERE a.path LIKE '%spx.txt'")" = "$spx_ids" ] || fail "another article's claims changed"
[ "$(sqlite3 db/claims.sqlite "SELECT value FROM claims WHERE subject = 'DJI'")" = "-0.4" ] || fail "new claim not stored"

# A vanished file is reported and kept; --prune deletes it.
rm c/sub/rut.txt
"$bin" ingest c >out4 2>err4 || fail "ingest with a vanished file should still exit 0"
grep -q "rut.txt: gone from disk; its claims stay" err4 || fail "vanished file not reported"
[ "$(sqlite3 db/claims.sqlite "SELECT COUNT(*) FROM articles WHERE path LIKE '%rut.txt'")" -eq 1 ] || fail "vanished file not kept"
"$bin" ingest c --prune -q >out5 2>err5 || fail "ingest --prune failed"
[ ! -s out5 ] || fail "--quiet printed a summary"
[ "$(sqlite3 db/claims.sqlite "SELECT COUNT(*) FROM articles WHERE path LIKE '%rut.txt'")" -eq 0 ] || fail "--prune kept it"
[ "$(sqlite3 db/claims.sqlite "SELECT COUNT(*) FROM claims WHERE article_id NOT IN (SELECT id FROM articles)")" -eq 0 ] || fail "orphan claims"

# query: named queries, formats, --subject.
"$bin" query claims --subject DJI --format csv >q1 || fail "query claims failed"
[ "$(head -1 q1 | cut -d, -f1-5)" = "path,start,end,subject,metric" ] || fail "csv header: $(head -1 q1)"
[ "$(wc -l <q1)" -eq 2 ] || fail "claims --subject DJI: want 1 row"
grep -q ",DJI,change_pct,-0.4," q1 || fail "csv row"
"$bin" query facts --format json >q2 || fail "query facts failed"
python3 -c 'import json,sys; d=json.load(open("q2")); assert any(r["subject"]=="SPX" and r["claims"]>=1 for r in d), d' || fail "facts json"
"$bin" query sources >q3 2>/dev/null || fail "query sources"
grep -q "^wire " q3 || fail "sources table"
"$bin" query articles --format csv | grep -q "dow.txt,wire,2024-11-26,en,0,ingest" || fail "articles"
[ "$("$bin" query "SELECT COUNT(*) AS n FROM claims_with_article WHERE source = 'blog'" --format csv | tail -1)" -ge 1 ] || fail "raw SQL on a view"

# query never writes: refused with exit 2 and the database unchanged.
before=$(table_dump | md5sum)
for sql in "DELETE FROM claims" "INSERT INTO sources(name) VALUES ('x')" "DROP TABLE reviews" \
           "SELECT 1; DELETE FROM claims" "PRAGMA user_version = 7" "CREATE TABLE t(x)"; do
  "$bin" query "$sql" >/dev/null 2>qerr
  code=$?
  [ $code -eq 2 ] || fail "query '$sql' exit $code, want 2"
  grep -q "^claimcheck: query: " qerr || fail "query '$sql': no clear message"
done
[ "$(table_dump | md5sum)" = "$before" ] || fail "a refused query changed the database"
"$bin" query "SELEC nonsense" 2>qerr; [ $? -eq 2 ] || fail "bad SQL exit code"
grep -q "syntax error (named queries: claims, articles, sources, facts)" qerr || fail "bad SQL message"
"$bin" query facts --db nothere.sqlite 2>qerr; [ $? -eq 5 ] || fail "missing database exit code"
[ ! -e nothere.sqlite ] || fail "query created a database"
grep -q "^claimcheck: nothere.sqlite: no such database" qerr || fail "missing database message"

# load: claim records from extract; bad lines named FILE:LINE and skipped, exit 1.
"$bin" extract c/dow.txt c/sub/spx.txt >claims.jsonl || fail "extract"
n=$(wc -l <claims.jsonl)
{ head -1 claims.jsonl; echo '{"article": "x", "value": 1'; echo '{"article": "x", "value": 1}'; tail -n +2 claims.jsonl; } >mixed.jsonl
"$bin" load mixed.jsonl --db loaded.sqlite >lout 2>lerr
code=$?
[ $code -eq 1 ] || fail "load with bad lines exit $code, want 1"
grep -q "^mixed.jsonl:2: not valid JSON" lerr || fail "bad JSON line not reported"
grep -q "^mixed.jsonl:3: not a claim record" lerr || fail "invalid record not reported"
[ "$(sqlite3 loaded.sqlite 'SELECT COUNT(*) FROM claims')" -eq "$n" ] || fail "load stored the wrong number of claims"
[ "$(sqlite3 loaded.sqlite "SELECT group_concat(path, ' ') FROM (SELECT path FROM articles ORDER BY path)")" = "dow spx" ] || fail "load articles"
"$bin" load claims.jsonl --db loaded.sqlite --json >lout2 || fail "reload"
grep -q '"unchanged":2,"claims":0' lout2 || { cat lout2; fail "reload not idempotent"; }

# Database problems: exit 5, one line "claimcheck: DBFILE: reason", nothing written.
echo "just some text, not a database at all; long enough to be a header of something" >notdb.sqlite
cp notdb.sqlite notdb.orig
"$bin" ingest c --db notdb.sqlite >/dev/null 2>derr; code=$?
[ $code -eq 5 ] || fail "not-SQLite database exit $code, want 5"
[ "$(cat derr)" = "claimcheck: notdb.sqlite: not an SQLite database (point --db at another file, or move this one away)" ] || fail "not-SQLite message: $(cat derr)"
cmp -s notdb.sqlite notdb.orig || fail "the non-database file was changed"

sqlite3 newer.sqlite "CREATE TABLE x(y); PRAGMA user_version = 99;"
"$bin" ingest c --db newer.sqlite 2>derr; code=$?
[ $code -eq 5 ] || fail "newer schema exit $code, want 5"
grep -q "^claimcheck: newer.sqlite: the database has schema version 99, newer than this claimcheck knows" derr || fail "newer message: $(cat derr)"
[ "$(sqlite3 newer.sqlite "SELECT COUNT(*) FROM sqlite_master")" -eq 1 ] || fail "the newer database was changed"
"$bin" load claims.jsonl --db newer.sqlite 2>derr; [ $? -eq 5 ] || fail "load on a newer schema, want 5"

# Locked beyond the timeout: another program holds the write lock.
printf 'The Nasdaq rose 2%% on Friday.\n' >c/new.txt
mkfifo lockfifo
sqlite3 db/claims.sqlite <lockfifo >/dev/null &
holder=$!
exec 7>lockfifo
# The holder waits for the lock too: a probe below may hold it for a moment
# just when the holder asks (without a timeout it then failed at once, and
# the ingest found no lock to wait for).
echo ".timeout 10000" >&7
echo "BEGIN IMMEDIATE; INSERT INTO sources(name) VALUES ('holder');" >&7
# Wait until the lock is really held (sqlite3 without a timeout fails at once then).
for _ in $(seq 1 400); do sqlite3 db/claims.sqlite "BEGIN IMMEDIATE; ROLLBACK;" 2>/dev/null || break; sleep 0.05; done
before=$(table_dump | md5sum)
"$bin" ingest c --busy-timeout 1 >/dev/null 2>derr; code=$?
[ $code -eq 5 ] || fail "locked database exit $code, want 5"
[ "$(wc -l <derr)" -eq 1 ] || fail "more than one line for a locked database: $(cat derr)"
grep -q "^claimcheck: db/claims.sqlite: the database is locked by another program for more than 1 s" derr || fail "locked message: $(cat derr)"
echo "ROLLBACK;" >&7
exec 7>&-
wait $holder
[ "$(table_dump | md5sum)" = "$before" ] || fail "a failed ingest left rows behind"
"$bin" ingest c -q || fail "ingest after the lock was released"
[ "$(sqlite3 db/claims.sqlite "SELECT COUNT(*) FROM articles WHERE path LIKE '%new.txt'")" -eq 1 ] || fail "new file not stored after the lock"

# A read-only database file (root ignores permissions: make it immutable instead, where the filesystem can).
cp db/claims.sqlite ro.sqlite
if [ "$(id -u)" -ne 0 ]; then chmod 444 ro.sqlite; ro=1; else chattr +i ro.sqlite 2>/dev/null && ro=1 || ro=0; fi
if [ "$ro" = 1 ]; then
  "$bin" ingest c --db ro.sqlite 2>derr; code=$?
  chattr -i ro.sqlite 2>/dev/null
  [ $code -eq 5 ] || fail "read-only database exit $code, want 5"
  [ "$(wc -l <derr)" -eq 1 ] || fail "more than one line for a read-only database: $(cat derr)"
  grep -q "^claimcheck: ro.sqlite: the database is read-only" derr || fail "read-only message: $(cat derr)"
else
  echo "(read-only database case skipped: running as root on a filesystem without chattr +i)"
fi
# An older database is upgraded in place.
sqlite3 db/claims.sqlite "DROP VIEW facts; DROP VIEW claims_with_article; DROP INDEX claims_article; DROP INDEX claims_fact; DROP INDEX articles_source; PRAGMA user_version = 1;"
"$bin" query facts 2>derr; [ $? -eq 5 ] || fail "query on an old schema, want 5"
grep -q "older than this claimcheck's" derr || fail "old schema message"
"$bin" ingest c -q || fail "ingest on an old schema"
[ "$(sqlite3 db/claims.sqlite 'PRAGMA user_version')" -ge 2 ] || fail "not upgraded"
"$bin" query facts >/dev/null 2>&1 || fail "facts view missing after the upgrade"
# Progress line on a terminal only.
if command -v script >/dev/null; then
  script -qec "$bin ingest c --db tty.sqlite" /dev/null >tty.out 2>&1 </dev/null
  grep -q "ingest: [0-9]*/[0-9]* files, .* MB/s, ETA" tty.out || { cat -v tty.out; fail "no progress line on a terminal"; }
fi
"$bin" ingest c --db notty.sqlite >notty.out 2>notty.err || fail "ingest into notty.sqlite"
if grep -q $'\r' notty.err notty.out; then fail "progress line written when stderr is not a terminal"; fi
echo "ingest_cli: ok"
