#!/usr/bin/env bash
# Measures the synthesis of the default stack (BenchmarkSynthDefault in test/) and prints the median.
# Usage: bench/synth.sh [count]   (default 10 runs of the benchmark)
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
count=${1:-10}
out=$(go test -run '^$' -bench 'BenchmarkSynthDefault$' -benchmem -count "$count" ./test/)
# Synth warnings interleave with the benchmark lines, so take the number before each "ns/op".
echo "$out" | grep -E '^(goos|goarch|cpu)|ns/op'
echo "$out" | awk '{ for (i = 2; i <= NF; i++) if ($i == "ns/op") print $(i - 1) }' | sort -n | awk '{ ns[NR] = $1 } END {
  if (NR == 0) { print "no benchmark output"; exit 1 }
  m = (NR % 2) ? ns[(NR + 1) / 2] : (ns[NR / 2] + ns[NR / 2 + 1]) / 2
  printf "synth of the default stack: median %.0f ms over %d runs (min %.0f ms, max %.0f ms)\n", m / 1e6, NR, ns[1] / 1e6, ns[NR] / 1e6 }'
