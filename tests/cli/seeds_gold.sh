#!/usr/bin/env bash
# Acceptance on ../shared/seeds, scored by the outside scorer (skipped when absent).
set -u
bin=$1; src=$2
shared="$src/../shared"
[ -d "$shared/seeds/gold" ] || { echo "no ../shared/seeds: skipped"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bin" extract "$shared"/seeds/*.txt >"$out" || exit 1
python3 "$shared/tools/score.py" claims "$shared/seeds" "$shared/seeds/gold/claims.jsonl" "$out" \
  --require "recall>=0.95,precision>=0.90,as_of>=0.90"
