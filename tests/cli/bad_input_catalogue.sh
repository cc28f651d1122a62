#!/usr/bin/env bash
# The catalogue of bad input (extraction side): each case gives a clear
# one-line message or a sane reading, never a crash or a hang.
set -u
bin=$1
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
run() { timeout 60 "$bin" extract "$@" --published 2024-11-26 >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/code"; }

# Overlong UTF-8 encoding of '/' is invalid UTF-8.
printf 'The Dow rose 1%% \xc0\xaf.\n' >"$tmp/overlong.txt"
run "$tmp/overlong.txt"; grep -q "overlong.txt: invalid UTF-8 at byte 16" "$tmp/err" || fail "overlong UTF-8"

# BOM, CRLF and a lone CR: read as text, offsets into the original bytes.
printf '\xef\xbb\xbfThe Dow Jones Industrial Average rose 1.2%% on Monday.\r\nGold fell 0.5%% on Monday.\rBitcoin rose 3%% on Monday.\n' >"$tmp/crlf.txt"
run "$tmp/crlf.txt"; [ "$(wc -l <"$tmp/out")" -eq 3 ] || fail "BOM/CRLF/CR: want 3 claims, got $(wc -l <"$tmp/out")"
python3 - "$tmp/crlf.txt" "$tmp/out" <<'PY' || fail "offsets do not point at the quotes"
import json, sys
raw = open(sys.argv[1], "rb").read()
for line in open(sys.argv[2]):
    c = json.loads(line)
    assert raw[c["start"]:c["end"]].decode() == c["quote"], c
PY

# Right-to-left marks and zero-width spaces inside a number; fullwidth digits.
printf 'The Dow Jones Industrial Average rose 1\xe2\x80\x8b.\xe2\x80\x8f5%% on Monday. Gold rose \xef\xbc\x92.\xef\xbc\x95%% on Monday.\n' >"$tmp/marks.txt"
run "$tmp/marks.txt"
grep -q '"subject":"DJI".*"value":1.5' "$tmp/out" || fail "zero-width and RTL marks inside a number"
grep -q '"subject":"GOLD".*"value":2.5' "$tmp/out" || fail "fullwidth digits"

# A 400-digit number, 1e308%, -0%: no crash, no absurd claim, no negative zero.
printf 'The S&P 500 rose %s%% and the Nasdaq rose 1e308%% while the Dow Jones Industrial Average fell -0%% on Monday.\n' "$(printf '9%.0s' $(seq 400))" >"$tmp/huge.txt"
run "$tmp/huge.txt"; [ "$(cat "$tmp/code")" -eq 0 ] || fail "huge numbers: exit $(cat "$tmp/code")"
grep -q '"subject":"SPX"' "$tmp/out" && fail "a 400-digit number became a claim"
grep -q '"subject":"IXIC"' "$tmp/out" && fail "1e308% became a claim"
grep -q -- '-0\.0' "$tmp/out" && fail "negative zero printed"

# A 1 GB sparse file is refused at once, without reading it.
truncate -s 1G "$tmp/sparse.txt"
start=$(date +%s)
run "$tmp/sparse.txt"; grep -q "sparse.txt: file is 1024 MB, over the limit" "$tmp/err" || fail "1 GB sparse file"
[ $(( $(date +%s) - start )) -lt 20 ] || fail "1 GB sparse file took too long"

# A directory loop made with symlinks: walked once, no hang.
mkdir -p "$tmp/loop/a"
ln -s .. "$tmp/loop/a/up"
printf 'Gold rose 1%% on Monday.\n' >"$tmp/loop/a/g.txt"
run "$tmp/loop"; [ "$(grep -c GOLD "$tmp/out")" -eq 1 ] || fail "symlink loop: the article should be read exactly once"

# A sidecar with an impossible date: warned, the article still read.
printf 'Gold rose 1%% on Monday.\n' >"$tmp/impossible.txt"
echo '{"published": "2024-02-30"}' >"$tmp/impossible.meta.json"
timeout 60 "$bin" extract "$tmp/impossible.txt" >"$tmp/out" 2>"$tmp/err"
grep -q "impossible.meta.json: 'published' is not a real date" "$tmp/err" || fail "impossible sidecar date"
grep -q GOLD "$tmp/out" || fail "article with a bad sidecar not read"

# Files no one can read as an article, root included: a named pipe (must not
# hang waiting for a writer) and a dangling symlink.
mkfifo "$tmp/pipe.txt"
ln -s "$tmp/nowhere.txt" "$tmp/dangling.txt"
printf 'Gold rose 1%% on Monday.\n' >"$tmp/fine.txt"
run "$tmp/pipe.txt" "$tmp/dangling.txt" "$tmp/fine.txt"
[ "$(cat "$tmp/code")" -eq 1 ] || fail "unreadable inputs: exit $(cat "$tmp/code"), want 1"
grep -q "pipe.txt: not a regular file" "$tmp/err" || fail "named pipe"
grep -q "dangling.txt: no such file" "$tmp/err" || fail "dangling symlink"
grep -q GOLD "$tmp/out" || fail "the readable file was not processed after the unreadable ones"

# An unreadable file (only meaningful when not root).
if [ "$(id -u)" -ne 0 ]; then
  printf 'Gold rose 1%%.\n' >"$tmp/secret.txt"; chmod 000 "$tmp/secret.txt"
  run "$tmp/secret.txt"; grep -q "secret.txt: cannot read" "$tmp/err" || fail "unreadable file"
fi
echo "bad_input_catalogue: ok"
