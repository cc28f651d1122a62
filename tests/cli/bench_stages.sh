#!/usr/bin/env bash
# `claimcheck bench --stages` names every stage of extraction once, with its
# seconds and share; the shares add up to the whole (100% give or take the
# rounding), and the headline figures stay.
set -u
bin=$1
out=$("$bin" bench --mb 0.5 --stages) || { echo "FAIL: bench --stages exited $?"; exit 1; }
echo "$out" | grep -q '^extract: .* MB/s, .* claims/s' || { echo "FAIL: no MB/s and claims/s line"; echo "$out"; exit 1; }
for stage in normalize boilerplate repairs names sentences filters "rule tries" "time words" binding; do
  n=$(echo "$out" | grep -c "^  $stage  *[0-9.]* s  *[0-9.]*%$")
  [ "$n" = 1 ] || { echo "FAIL: stage '$stage' listed $n times"; echo "$out"; exit 1; }
done
sum=$(echo "$out" | grep -o '[0-9.]*%$' | tr -d '%' | awk '{s += $1} END {printf "%.1f", s}')
awk -v s="$sum" 'BEGIN {exit !(s >= 99.5 && s <= 100.5)}' || { echo "FAIL: the shares add up to $sum%"; echo "$out"; exit 1; }
# Without the flag: no stage lines.
"$bin" bench --mb 0.2 | grep -q '^stages' && { echo "FAIL: stages printed without --stages"; exit 1; }
echo ok
