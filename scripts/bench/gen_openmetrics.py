#!/usr/bin/env python3
"""Writes the `query --input` benchmark's OpenMetrics file: SERIES counter series (100 instances x SERIES/100
paths) of one family, HOURS of samples every 15 s each, series after series (OpenMetrics keeps a series'
points together), timestamps in seconds, ending with `# EOF` as `promtool tsdb create-blocks-from openmetrics`
reads it. Deterministic for a given start time.
Usage: scripts/bench/gen_openmetrics.py OUT [--series 10000] [--hours 2] [--start SECONDS]
"""
import argparse

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--series", type=int, default=10000)
ap.add_argument("--hours", type=float, default=2)
ap.add_argument("--start", type=int, default=1700000000)
args = ap.parse_args()

steps = int(args.hours * 3600 / 15)
with open(args.out, "w") as f:
    f.write("# HELP bench_requests Requests served.\n# TYPE bench_requests counter\n")
    for s in range(args.series):
        labels = 'instance="host-%03d:9100",path="/api/v1/item/%d",job="bench"' % (s % 100, s // 100)
        rate = 1 + (s % 17)
        lines = []
        value = 0
        for i in range(steps):
            value += rate * 15 + (i * s) % 7
            lines.append("bench_requests_total{%s} %d %d\n" % (labels, value, args.start + i * 15))
        f.write("".join(lines))
    f.write("# EOF\n")
