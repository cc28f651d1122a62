#!/usr/bin/env bash
# Extraction time grows linearly with input size on adversarial text: run-on
# "sentences" without full stops, dense with names and figures, lines just
# under the 1 MB line limit, and lists under headings with no blank line to
# end them. CPU seconds per MB at the largest size must stay
# within 3x of the smallest (quadratic work would be 16x). Under the
# sanitizers (CLAIMCHECK_SANITIZE=1), where time says little, one 1 MB run
# checks the same text for memory errors only.
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sizes="1 4 16"
[ "${CLAIMCHECK_SANITIZE:-0}" = 1 ] && sizes="1"
python3 - "$tmp" $sizes <<'PY'
import sys, random
out, sizes = sys.argv[1], [int(x) for x in sys.argv[2:]]
random.seed(7)
names = ["the Dow Jones Industrial Average", "the S&P 500", "the Nasdaq Composite", "Russell 2000", "gold",
         "the 10-year Treasury yield", "Bitcoin", "the DAX", "it", "the index"]
verbs = ["rose", "fell", "climbed", "slid", "gained", "lost", "was up", "was down"]
tails = ["on Monday", "last week", "so far this month", "this year", "on the 23rd", "to close at 40,100.5",
         "as of last Friday, November 22", "in 2021", "since August 2", ""]
chunks = []
for i in range(4000):
    chunks.append(f"{random.choice(names)} {random.choice(verbs)} {random.randint(0,99)}.{random.randint(0,9)}% {random.choice(tails)} and ")
block = "".join(chunks)
headed = "".join(f"Weekly scorecard\n{random.choice(names)} {random.choice(verbs)} {i % 9}.5%\n" for i in range(1000))
for mb in sizes:
    with open(f"{out}/adv{mb}.txt", "w") as f:
        written = 0
        while written < mb * 1024 * 1024:
            line = block[: 900 * 1024]
            f.write(line + "\n" + headed)
            written += len(line) + 1 + len(headed)
PY
TIMEFORMAT=%U
per_mb=()
base=$( { time "$bin" extract --published 2024-11-26 - </dev/null >/dev/null 2>&1; } 2>&1 )
for mb in $sizes; do
  t=$( { time "$bin" --max-size 100 extract "$tmp/adv$mb.txt" --published 2024-11-26 >"$tmp/out$mb" 2>/dev/null; } 2>&1 )
  claims=$(wc -l <"$tmp/out$mb")
  p=$(python3 -c "print(max(0.0, $t - $base) / $mb)")
  echo "adversarial ${mb} MB: ${t}s CPU (rules load ${base}s), ${claims} claims, $(printf '%.3f' "$p") s/MB"
  [ "$claims" -gt 0 ] || { echo "FAIL: no claims from the adversarial text"; exit 1; }
  per_mb+=("$p")
done
python3 - "${per_mb[@]}" <<'PY'
import sys
v = [float(x) for x in sys.argv[1:]]
first, last = v[0], v[-1]
ratio = last / max(first, 1e-3)
print(f"s/MB smallest {first:.3f}, largest {last:.3f}, ratio {ratio:.2f} (limit 3)")
sys.exit(0 if last <= 3 * first + 0.05 else 1)
PY
