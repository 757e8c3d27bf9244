#!/usr/bin/env bash
# Compares `trailwatch replay` with jq doing the same ten selections (bench/ten.jq) on the same
# gzip CloudTrail tree, and prints records/s, wall time, CPU time, peak RSS and the speedup.
#
#   bench/run.sh [SIZE]        SIZE of gzip input to generate, default 1GiB
#
# The input is generated once by bench/gen into bench/out/trail-SIZE and reused. Both tools must
# report the same match count per alarm, or the run fails. Environment: TRAILWATCH=path to use a
# prebuilt binary; SKIP_JQ=1 to measure trailwatch only.
set -euo pipefail
cd "$(dirname "$0")/.."

size=${1:-1GiB}
out=bench/out
input=$out/trail-$size
mkdir -p "$out"

if ! command -v jq >/dev/null; then
	apt-get update -qq && apt-get install -y -qq jq >/dev/null
fi
if [ ! -x /usr/bin/time ]; then
	apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

bin=${TRAILWATCH:-}
if [ -z "$bin" ]; then
	go build -o "$out/trailwatch" ./cmd/trailwatch
	bin=$out/trailwatch
fi
if [ ! -d "$input" ]; then
	go build -o "$out/gen" ./bench/gen
	"$out/gen" -out "$input" -size "$size"
fi

# metric NAME FILE: one field of /usr/bin/time -v output.
metric() { sed -n "s/^[[:space:]]*$1: //p" "$2"; }
seconds() { # h:mm:ss or m:ss.ss -> seconds
	awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }' <<<"$1"
}

echo "input: $input ($(du -sh "$input/" | cut -f1) on disk, $(find "$input/" -type f | wc -l) files), $(nproc) cores"

/usr/bin/time -v "$bin" replay --format json "$input" >"$out/replay.json" 2>"$out/replay.time" || [ $? -eq 1 ]
tw_wall=$(seconds "$(metric 'Elapsed (wall clock) time (h:mm:ss or m:ss)' "$out/replay.time")")
tw_cpu=$(awk '{print $1 + $2}' <<<"$(metric 'User time (seconds)' "$out/replay.time") $(metric 'System time (seconds)' "$out/replay.time")")
tw_rss=$(metric 'Maximum resident set size (kbytes)' "$out/replay.time")
records=$(jq '.totals.records_read' "$out/replay.json")

printf '%-20s %12s %10s %10s %12s %14s %10s\n' tool records wall_s cpu_s records/s records/cpu_s rss_MiB
row() { awk -v t="$1" -v n="$2" -v w="$3" -v c="$4" -v r="$5" 'BEGIN {
	printf "%-20s %12d %10.2f %10.2f %12.0f %14.0f %10.1f\n", t, n, w, c, n / w, n / c, r / 1024 }'; }
row "trailwatch replay" "$records" "$tw_wall" "$tw_cpu" "$tw_rss"

if [ -n "${SKIP_JQ:-}" ]; then
	exit 0
fi
# jq gets the log files only (digest files hold no records) in one process, one pass.
/usr/bin/time -v bash -c "find '$input/' -path '*/CloudTrail/*' -name '*.json.gz' -print0 | sort -z | xargs -0 zcat | jq -n -c -f bench/ten.jq" \
	>"$out/jq.json" 2>"$out/jq.time"
jq_wall=$(seconds "$(metric 'Elapsed (wall clock) time (h:mm:ss or m:ss)' "$out/jq.time")")
jq_cpu=$(awk '{print $1 + $2}' <<<"$(metric 'User time (seconds)' "$out/jq.time") $(metric 'System time (seconds)' "$out/jq.time")")
jq_rss=$(metric 'Maximum resident set size (kbytes)' "$out/jq.time")
jq_records=$(jq '.records' "$out/jq.json")
row "zcat | jq (10 sel.)" "$jq_records" "$jq_wall" "$jq_cpu" "$jq_rss"

# Same input, same answers: compare every alarm's match count.
tw_counts=$(jq -S -c '[.alarms[] | {key: .id, value: .matches}] | from_entries' "$out/replay.json")
jq_counts=$(jq -S -c 'del(.records)' "$out/jq.json")
if [ "$records" != "$jq_records" ] || [ "$tw_counts" != "$jq_counts" ]; then
	echo "MISMATCH: trailwatch $records $tw_counts" >&2
	echo "          jq         $jq_records $jq_counts" >&2
	exit 1
fi
echo "match counts agree: $tw_counts"
awk -v a="$jq_wall" -v b="$tw_wall" -v c="$jq_cpu" -v d="$tw_cpu" 'BEGIN {
	printf "speedup: %.1fx wall clock, %.1fx per CPU second\n", a / b, c / d }'
