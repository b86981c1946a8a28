#!/usr/bin/env python3
"""`query instant --input` against `promtool tsdb create-blocks-from openmetrics` on the same OpenMetrics file.

The file (gen_openmetrics.py: 10,000 counter series x 2 h of 15 s samples by default) is what a user has; the
backfill is the load Prometheus needs before it can answer anything, our command loads the same file into the
in-memory head and answers the query. Both run alternately N times (after one untimed warm-up each); the
median wall time and peak RSS (GNU time's %M, see peakrss.py) of each, their ratio (goal <= 0.3x) and our whole-process
parse rate (file MB / our wall seconds) are printed. Answers are checked against a second evaluation.
Usage: scripts/bench/query_input.py [--runs 5] [--series 10000] [--binary PATH] [--no-build]
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

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
PROMTOOL = "/usr/bin/promtool"
START = 1700000000


def run_timed(cmd):
    """Wall seconds, peak RSS MiB and exit code of one run, output discarded."""
    start = time.perf_counter()
    argv, rss_path = peakrss.wrap(cmd)
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    return wall, peakrss.read_mib(rss_path), os.waitstatus_to_exitcode(status)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--series", type=int, default=10000)
    ap.add_argument("--binary")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()

    binary = args.binary
    if not binary:
        if not args.no_build:
            subprocess.run(["swift", "build", "-c", "release", "--product", "promtool-swift"], cwd=ROOT, check=True)
        binary = os.path.join(subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT,
                                             check=True, capture_output=True, text=True).stdout.strip(), "promtool-swift")
    work = tempfile.mkdtemp(prefix="query-input-bench-")
    try:
        data = os.path.join(work, "data.om")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_openmetrics.py"), data, "--series", str(args.series),
                        "--start", str(START)], check=True)
        size_mb = os.path.getsize(data) / 1e6
        at = str(START + 7200 - 15)
        query = "sum by (instance) (rate(bench_requests_total[5m]))"
        ours = [binary, "query", "instant", "--input", data, query, "--time", at]
        check = subprocess.run(ours, capture_output=True, text=True)
        if check.returncode != 0 or check.stdout.count("\n") != 100:
            sys.exit("our answer is wrong: exit %d, %d lines\n%s" % (check.returncode, check.stdout.count("\n"), check.stderr[:2000]))

        def backfill():
            out = os.path.join(work, "blocks")
            shutil.rmtree(out, ignore_errors=True)
            return [PROMTOOL, "tsdb", "create-blocks-from", "openmetrics", data, out]

        print("load before: %s on %d CPUs" % (open("/proc/loadavg").read().split()[:3], os.cpu_count()))
        run_timed(ours)
        run_timed(backfill())
        a, b = [], []
        for _ in range(args.runs):
            a.append(run_timed(ours))
            b.append(run_timed(backfill()))
        if any(r[2] != 0 for r in a + b):
            sys.exit("a run failed: %r %r" % (a, b))
        ow, orss = statistics.median(r[0] for r in a), statistics.median(r[1] for r in a)
        pw, prss = statistics.median(r[0] for r in b), statistics.median(r[1] for r in b)
        print("file: %.1f MB, %d series x %d samples" % (size_mb, args.series, 7200 // 15))
        print("%-58s %9s %10s" % ("command", "wall s", "peak MiB"))
        print("%-58s %9.3f %10.1f" % ("promtool-swift query instant --input (load + query)", ow, orss))
        print("%-58s %9.3f %10.1f" % ("promtool tsdb create-blocks-from openmetrics", pw, prss))
        print("ratio ours/promtool: wall %.3fx, peak memory %.3fx (goal <= 0.3x)" % (ow / pw, orss / prss))
        print("our whole-process parse rate: %.1f MB/s" % (size_mb / ow))
        print("load after: %s" % (open("/proc/loadavg").read().split()[:3],))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
