#!/usr/bin/env bash
# A malformed rule file stops start-up with file:line and what is wrong (exit 3).
set -u
bin=$1; src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cp -r "$src/rules" "$tmp/rules"
cat >>"$tmp/rules/metrics/changes.rules" <<'R'

rule broken.regex
  match   {VERB} (unclosed
  metric  change_pct
  example 2024-11-26 | The Dow rose 1%. => value=1
rule broken.key
  colour  blue
R
printf 'The Dow rose 1%% on Monday.\n' >"$tmp/a.txt"
"$bin" --rules "$tmp/rules" extract "$tmp/a.txt" >/dev/null 2>"$tmp/err"
code=$?
cat "$tmp/err"
[ "$code" -eq 3 ] || fail "exit code $code, want 3"
grep -q "changes.rules:[0-9]*: rule broken.regex: pattern does not compile" "$tmp/err" || fail "no file:line for the bad regex"
grep -q "changes.rules:[0-9]*: unknown key 'colour'" "$tmp/err" || fail "no file:line for the unknown key"
echo "malformed_rules: ok"
