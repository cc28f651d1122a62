#!/usr/bin/env bash
# Bad input: each bad file gets one clear line naming it, the good file is still
# processed, and the exit code says some failed (1).
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

printf 'The Dow Jones Industrial Average rose 1.2%% on Monday.\n' >"$tmp/good.txt"
echo '{"published": "2024-11-26"}' >"$tmp/good.meta.json"
printf 'The S&P 500 rose 1%% \xff\xfe on Monday.\n' >"$tmp/badutf8.txt"
printf 'The S&P 500 rose\0 1%%.\n' >"$tmp/nul.txt"
: >"$tmp/empty.txt"
head -c $((50 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$tmp/oneline.txt"
printf 'The Nasdaq rose 2%% on Friday.\n' >"$tmp/badmeta.txt"
echo '{"published": "2024-02-30"' >"$tmp/badmeta.meta.json"

"$bin" extract "$tmp/badutf8.txt" "$tmp/nul.txt" "$tmp/empty.txt" "$tmp/oneline.txt" "$tmp/missing.txt" \
  "$tmp/badmeta.txt" "$tmp/good.txt" >"$tmp/out" 2>"$tmp/err"
code=$?
cat "$tmp/err"
[ "$code" -eq 1 ] || fail "exit code $code, want 1 (some files failed)"
grep -q '"subject":"DJI"' "$tmp/out" || fail "the good file was not processed"
grep -q "badutf8.txt: invalid UTF-8 at byte" "$tmp/err" || fail "no clear message for invalid UTF-8"
grep -q "nul.txt: contains a NUL byte" "$tmp/err" || fail "no clear message for NUL bytes"
grep -q "empty.txt: warning: file is empty" "$tmp/err" || fail "no message for the empty file"
grep -Eq "oneline.txt: (a line of|file is 50 MB, over the limit)" "$tmp/err" || fail "no clear message for the 50 MB line"
# Under a raised size limit the 50 MB line is still refused, by the line limit.
"$bin" --max-size 64 extract "$tmp/oneline.txt" 2>"$tmp/err2" >/dev/null
grep -q "oneline.txt: a line of" "$tmp/err2" || fail "no line-limit message"
grep -q "missing.txt: no such file" "$tmp/err" || fail "no clear message for a missing file"
grep -q "badmeta.meta.json: invalid JSON" "$tmp/err" || fail "no clear message for a bad sidecar"
# Every message is one line that starts with the path.
bad=$(grep -v "^$tmp/" "$tmp/err" | wc -l)
[ "$bad" -eq 0 ] || fail "$bad stderr line(s) do not start with the file path"

# stdin with --published
printf 'Gold fell 1.1%% last week.\n' | "$bin" extract - --published 2024-10-17 >"$tmp/stdin.out" || fail "stdin extract failed"
grep -q '"period_start":"2024-10-07"' "$tmp/stdin.out" || fail "stdin claim not dated against --published"

# --help teaches the exit codes
"$bin" --help | grep -q "Exit codes" || fail "--help does not document exit codes"
echo "bad_input: ok"
