#!/usr/bin/env bash
# Times our PromQL engine (Benchmarks QueryBench, in-process over the TSDB head) against Prometheus 2.42 on the
# same data and the same two range queries.
#
# 1. QueryBench generates 10,000 counter series + a classic histogram family (2 h of 15 s samples), times the
#    queries on our engine (median of N after a warm-up) and writes the same samples as OpenMetrics text.
# 2. promtool tsdb create-blocks-from openmetrics backfills that text into a fresh TSDB directory.
# 3. /usr/bin/prometheus serves that directory on loopback only; each query is sent N+1 times with curl
#    (the first is a warm-up), and the median wall time (curl time_total) and Prometheus's own
#    evalTotalTime (stats=all) are reported; Prometheus is then stopped.
# 4. Ratios ours / Prometheus are printed, with a result checksum from each side (series, points, sum).
#
# Usage: scripts/bench/query_vs_prometheus.sh [RUNS=5] [--no-build]   (QUERYBENCH=path uses that binary)
#        QUERIES=$'name=expr\nname2=expr2' times those expressions instead of the two standard ones.
set -euo pipefail
RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PROMTOOL=/usr/bin/promtool
PROMETHEUS=/usr/bin/prometheus
WORK=$(mktemp -d /tmp/query-bench-XXXXXX)
PROM_PID=""
cleanup() {
    if [[ -n "$PROM_PID" ]] && kill -0 "$PROM_PID" 2>/dev/null; then
        kill "$PROM_PID" 2>/dev/null || true
        wait "$PROM_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

if [[ -n "${QUERYBENCH:-}" ]]; then
    BIN=$QUERYBENCH
else
    if [[ "${2:-}" != "--no-build" ]]; then
        swift build -c release --package-path "$ROOT/Benchmarks" --product QueryBench >&2
    fi
    BIN="$(swift build -c release --package-path "$ROOT/Benchmarks" --show-bin-path)/QueryBench"
fi

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
# Two hours ending on a whole hour three hours ago (inside Prometheus's default retention).
T0_MS=$(( ($(date +%s) / 3600 - 3) * 3600 * 1000 ))
EXTRA=()
while IFS= read -r q; do
    if [[ -n "$q" ]]; then EXTRA+=(--query "$q"); fi
done <<< "${QUERIES:-}"
"$BIN" --openmetrics "$WORK/data.om" --runs "$RUNS" --start-ms "$T0_MS" --dump "$WORK" ${EXTRA[@]+"${EXTRA[@]}"} | tee "$WORK/ours.txt"
echo "openmetrics file: $(du -h "$WORK/data.om" | cut -f1)"

start_bf=$(date +%s.%N)
"$PROMTOOL" tsdb create-blocks-from openmetrics "$WORK/data.om" "$WORK/tsdb" > "$WORK/backfill.log" 2>&1 \
    || { cat "$WORK/backfill.log"; exit 1; }
echo "backfill: $(echo "$(date +%s.%N) - $start_bf" | bc) s; blocks: $(ls "$WORK/tsdb" | grep -vc -e wal -e chunks_head -e lock || true)"
rm -f "$WORK/data.om"

cat > "$WORK/prometheus.yml" <<'YAML'
global:
  scrape_interval: 15s
YAML
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PROMETHEUS" --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
    --web.listen-address="127.0.0.1:$PORT" --storage.tsdb.retention.time=30d > "$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
for _ in $(seq 1 120); do
    if curl -sf "http://127.0.0.1:$PORT/-/ready" > /dev/null 2>&1; then break; fi
    if ! kill -0 "$PROM_PID" 2>/dev/null; then cat "$WORK/prometheus.log"; exit 1; fi
    sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/-/ready" > /dev/null || { echo "prometheus not ready"; tail "$WORK/prometheus.log"; exit 1; }

# As QueryBench: steps 1 s after a scrape (no sample on a window's edge, where 2.42 and 3.x differ).
START=$(( T0_MS / 1000 + 1 )); END=$(( START + 7200 ))
grep '^QUERY ' "$WORK/ours.txt" | while read -r _ name ours_med _rest; do
    q=$(sed -n "s/^QUERY $name .* query=//p" "$WORK/ours.txt")
    ours_ms=${ours_med#median_ms=}
    ours_sum=$(sed -n "s/^QUERY $name .*\(series=[0-9]* points=[0-9]* checksum=[-0-9.e+a-z]*\).*/\1/p" "$WORK/ours.txt")
    : > "$WORK/times.txt"
    for r in $(seq 0 "$RUNS"); do
        t=$(curl -s -o "$WORK/resp.json" -w '%{time_total}' "http://127.0.0.1:$PORT/api/v1/query_range" \
            --data-urlencode "query=$q" -d "start=$START" -d "end=$END" -d step=60 -d stats=all)
        if [[ $r -gt 0 ]]; then
            eval_s=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["data"]["stats"]["timings"]["evalTotalTime"])' "$WORK/resp.json")
            echo "$t $eval_s" >> "$WORK/times.txt"
        fi
    done
    python3 - "$WORK/resp.json" "$WORK/times.txt" "$name" "$ours_ms" "$ours_sum" "$WORK/$name.tsv" <<'PY'
import json, math, statistics, sys
resp, times, name, ours_ms, ours_sum, dump = sys.argv[1:]
d = json.load(open(resp))
if d.get("status") != "success":
    sys.exit(f"{name}: prometheus error: {d}")
res = d["data"]["result"]
points = sum(len(s["values"]) for s in res)
total = sum(float(v) for s in res for _, v in s["values"] if math.isfinite(float(v)))
rows = [tuple(map(float, l.split())) for l in open(times)]
wall = statistics.median(r[0] for r in rows) * 1000
ev = statistics.median(r[1] for r in rows) * 1000
ours = float(ours_ms)
print(f"{name}: ours {ours:.1f} ms (in-process) | prometheus {wall:.1f} ms curl wall, {ev:.1f} ms evalTotalTime"
      f" | ratio {ours / wall:.2f}x of wall, {ours / ev:.2f}x of eval")
print(f"  ours:       {ours_sum}")
print(f"  prometheus: series={len(res)} points={points} checksum={total:.4f}")
theirs = {}
for s in res:
    key = ",".join(f"{k}={v}" for k, v in sorted(s["metric"].items()))
    for t, v in s["values"]:
        theirs[(key, round(float(t) * 1000))] = float(v)
ours = {}
for line in open(dump):
    key, t, v = line.rstrip("\n").split("\t")
    ours[(key, int(t))] = float(v)
only_ours = len(ours.keys() - theirs.keys()); only_theirs = len(theirs.keys() - ours.keys())
worst = (0.0, None)
differing = {}
for k in ours.keys() & theirs.keys():
    a, b = ours[k], theirs[k]
    if math.isnan(a) and math.isnan(b):
        continue
    rel = abs(a - b) / max(abs(b), 1e-300) if a != b else 0.0
    if rel > 1e-9:
        differing[k[1]] = differing.get(k[1], 0) + 1
    if rel > worst[0]:
        worst = (rel, k, a, b)
print(f"  points only ours: {only_ours}, only prometheus: {only_theirs}; largest relative difference {worst[0]:.3g}"
      + (f" at {worst[1][0]} t={worst[1][1]}: ours {worst[2]!r} prometheus {worst[3]!r}" if worst[1] else ""))
if differing:
    first = min(t for _, t in theirs)
    steps = sorted(differing)
    print(f"  points differing by > 1e-9 (relative): {sum(differing.values())} at {len(steps)} steps, seconds after the"
          f" first step: {[(t - first) // 1000 for t in steps[:12]]}{' ...' if len(steps) > 12 else ''}")
PY
done
kill "$PROM_PID" && wait "$PROM_PID" 2>/dev/null || true
PROM_PID=""
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
