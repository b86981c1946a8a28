#!/usr/bin/env python3
"""Benchmark: `tsdb bench write` — promtool-swift vs /usr/bin/promtool on the same input file (gen_bench_series.py,
shaped like Prometheus's tsdb/testdata/20kseries.json), same run, alternating, median of RUNS: wall time and peak
RSS of the whole process (and CPU time, user + system), the ratios ours/promtool, the samples each reports and the WAL size each writes.
Each run writes into a fresh output directory (removed afterwards). promtool runs a round's shards on all cores;
ours runs them one after another.
Usage: scripts/bench/tsdb_bench_write.py [--binary .build/release/promtool-swift] [--metrics 10000]
       [--scrapes 1000] [--runs 3] [--input FILE]
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
ap.add_argument("--metrics", type=int, default=10000)
ap.add_argument("--scrapes", type=int, default=1000)
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--input", help="existing series file to use instead of generating one (20k lines)")
args = ap.parse_args()

here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="bench-write-")
try:
    inp = args.input or os.path.join(work, "20kseries.json")
    if not args.input:
        subprocess.run([sys.executable, os.path.join(here, "gen_bench_series.py"), inp], check=True)
    print(f"input: {inp}, --metrics={args.metrics} --scrapes={args.scrapes}; load {os.getloadavg()[0]:.2f}")

    def du(path):
        total = 0
        for root, _, files in os.walk(path):
            for f in files:
                total += os.path.getsize(os.path.join(root, f))
        return total

    def run(binary):
        out = os.path.join(work, "out")
        shutil.rmtree(out, ignore_errors=True)
        cmd = [binary, "tsdb", "bench", "write", f"--out={out}", f"--metrics={args.metrics}",
               f"--scrapes={args.scrapes}", inp]
        start = time.perf_counter()
        argv, rss_path = peakrss.wrap(cmd)
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        stdout = p.stdout.read().decode()
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        peak = peakrss.read_mib(rss_path)
        if status != 0:
            sys.exit(f"{binary} failed ({status}): {stdout}")
        total = next((l.split(":")[1].strip() for l in stdout.splitlines() if l.startswith(" > total samples:")), "?")
        wal = du(os.path.join(out, "storage", "wal"))
        shutil.rmtree(out, ignore_errors=True)
        return wall, peak, total, wal, usage.ru_utime + usage.ru_stime

    results = {"ours": [], "promtool": []}
    for _ in range(args.runs):
        for name, binary in (("ours", args.binary), ("promtool", args.promtool)):
            results[name].append(run(binary))

    med = {}
    for name, rs in results.items():
        wall = statistics.median(r[0] for r in rs)
        rss = statistics.median(r[1] for r in rs)
        cpu = statistics.median(r[4] for r in rs)
        med[name] = (wall, rss, cpu)
        print(f"{name:9s} wall {wall:6.2f} s (runs {', '.join(f'{r[0]:.2f}' for r in rs)})  CPU {cpu:6.2f} s  peak RSS {rss:6.0f} MiB"
              f"  samples {rs[0][2]}  WAL {rs[0][3] / 2**20:.0f} MiB")
    print(f"ratio ours/promtool: time {med['ours'][0] / med['promtool'][0]:.2f}x, CPU {med['ours'][2] / med['promtool'][2]:.2f}x, "
          f"memory {med['ours'][1] / med['promtool'][1]:.2f}x; load {os.getloadavg()[0]:.2f}")
finally:
    shutil.rmtree(work, ignore_errors=True)
