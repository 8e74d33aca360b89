#!/usr/bin/env bash
# Second-solver check of the quality set's optima (issue 15): re-solves with GLPK (`glpsol`,
# Debian package glpk-utils) every MILP level that HiGHS solved, as the same CPLEX LP text, and
# compares the objective values.
#   QUALITY_LP_DIR=/tmp/lp npx tsx bench/quality/main.ts   # writes <plan>.<level>.lp + highs.tsv
#   bash bench/quality/crosscheck.sh /tmp/lp [seconds per level, default 30]
# Only the optima solved in that run are written (a cached optimum is not re-solved: remove its
# entry from optima.json, or pass --refresh-optima). Prints one line per level and a summary:
# both solvers proved the same value / GLPK proved another (a disagreement) / GLPK cut by its
# time limit with an incumbent no better than HiGHS's value (consistent) or better (HiGHS's value
# was not optimal) / GLPK found no solution in time.
set -euo pipefail
dir=${1:?usage: crosscheck.sh LP_DIR [SECONDS]}
limit=${2:-30}
command -v glpsol >/dev/null || { echo "glpsol not found (apt-get install glpk-utils)" >&2; exit 2; }
out="$dir/glpk.tsv"
: >"$out"
while IFS=$'\t' read -r plan level value proved; do
    base="$dir/$plan.$level"
    timeout $((limit + 30)) glpsol --lp "$base.lp" --tmlim "$limit" -o "$base.out" >"$base.log" 2>&1 || true
    obj=$(grep -m1 '^Objective:' "$base.out" 2>/dev/null | sed -E 's/.*= *([-0-9.e+]+).*/\1/' || true)
    status=$(grep -m1 '^Status:' "$base.out" 2>/dev/null | awk '{print $2, $3}' || true)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$plan" "$level" "$value" "$proved" "${obj:-none}" "${status:-none}" >>"$out"
done <"$dir/highs.tsv"
awk -F'\t' '
{ h = $3 + 0; g = $5 + 0; d = h - g; if (d < 0) d = -d
  if ($6 == "INTEGER OPTIMAL") { if (d < 1e-6) same++; else { differ++; print "DISAGREE", $0 } }
  else if ($6 == "INTEGER NON-OPTIMAL") { if (g >= h - 1e-6) cut++; else { better++; print "GLPK BETTER", $0 } }
  else none++ }
END { printf "levels %d: same value proved by both %d; GLPK proved another %d; GLPK cut, incumbent no better %d; GLPK cut, better %d; GLPK no solution %d\n", NR, same, differ + 0, cut + 0, better + 0, none + 0
      exit (differ + better > 0) }' "$out"
