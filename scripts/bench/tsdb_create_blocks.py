#!/usr/bin/env python3
"""Benchmark: `tsdb create-blocks-from openmetrics` — promtool-swift vs /usr/bin/promtool on the same
generated OpenMetrics file (gen_openmetrics.py: counters every 15 s, >= 10 M samples by default), same run,
alternating, median of RUNS: wall time and peak RSS of the whole process, and the ratios ours/promtool.
Each run writes into a fresh output directory (removed afterwards).
Usage: scripts/bench/tsdb_create_blocks.py [--binary .build/release/promtool-swift] [--series 21000]
       [--hours 2] [--runs 3] [--keep-input]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import peakrss

ap = argparse.ArgumentParser()
ap.add_argument("--binary", default=".build/release/promtool-swift")
ap.add_argument("--promtool", default="/usr/bin/promtool")
ap.add_argument("--series", type=int, default=21000)
ap.add_argument("--hours", type=float, default=2)
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--input", help="existing OpenMetrics file to use instead of generating one")
args = ap.parse_args()

here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="bench-create-blocks-")
try:
    inp = args.input or os.path.join(work, "in.om")
    if not args.input:
        subprocess.run([sys.executable, os.path.join(here, "gen_openmetrics.py"), inp, "--series", str(args.series),
                        "--hours", str(args.hours)], check=True)
    samples = args.series * int(args.hours * 3600 / 15)
    print(f"input: {inp} ({os.path.getsize(inp) / 2**20:.0f} MiB, {samples / 1e6:.1f} M samples)")

    def run(cmd):
        out = os.path.join(work, "out")
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        argv, rss_path = peakrss.wrap(cmd + [inp, out])
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _, _, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        stdout = p.stdout.read().decode()
        stderr = p.stderr.read().decode()
        if p.returncode not in (0, None) and usage is None:
            sys.exit(f"{cmd[0]} failed: {stderr}")
        blocks = [l for l in stdout.splitlines()[1:] if l.strip()]
        shutil.rmtree(out, ignore_errors=True)
        return wall, peakrss.read_mib(rss_path), blocks, stderr

    ours_cmd = [args.binary, "tsdb", "create-blocks-from", "openmetrics", "-q"]
    theirs_cmd = [args.promtool, "tsdb", "create-blocks-from", "openmetrics", "-q"]
    ours, theirs = [], []
    for i in range(args.runs):
        for name, cmd, acc in (("promtool-swift", ours_cmd, ours), ("promtool", theirs_cmd, theirs)):
            wall, rss, _, err = run(cmd)
            if err.strip():
                sys.exit(f"{name} printed errors: {err}")
            acc.append((wall, rss))
            print(f"run {i + 1} {name:15s} wall {wall:7.2f} s  peak RSS {rss:8.1f} MiB", flush=True)

    ow, orss = statistics.median(w for w, _ in ours), statistics.median(r for _, r in ours)
    tw, trss = statistics.median(w for w, _ in theirs), statistics.median(r for _, r in theirs)
    print(f"median promtool-swift: {ow:.2f} s, {orss:.1f} MiB")
    print(f"median promtool:       {tw:.2f} s, {trss:.1f} MiB")
    print(f"ratio wall {ow / tw:.2f}x  peak memory {orss / trss:.2f}x  (goal <= 0.5x)")
finally:
    shutil.rmtree(work, ignore_errors=True)
