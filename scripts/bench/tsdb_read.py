#!/usr/bin/env python3
"""Reading a Prometheus data directory: promtool-swift vs promtool 2.42 / Prometheus 2.42, same dir, same run.

1. Generates OpenMetrics text (SERIES gauge series x SAMPLES samples at 15 s; default 2,000 x 5,000 = 10 M
   samples) and backfills it with /usr/bin/promtool tsdb create-blocks-from openmetrics.
2. `tsdb analyze` (last block) and `tsdb analyze` of every block: ours vs /usr/bin/promtool, whole process,
   median wall time of RUNS runs and peak RSS (GNU time's %M, see peakrss.py).
3. `query range --tsdb DIR EXPR` (ours, whole process) vs Prometheus's own evalTotalTime (stats=all) for the same
   range query on a /usr/bin/prometheus serving a copy of the directory (loopback only, stopped at the end).
Prints one line per measurement with the ratio ours / theirs.

Usage: scripts/bench/tsdb_read.py [--series N] [--samples N] [--runs N] [--bin PATH] [--only analyze|query]
                                 [--data DIR] [--extended]
       (default binary: .build/release/promtool-swift; build it with `swift build -c release` first)
       --data DIR: keep the backfilled directory in DIR (created on the first run, reused when it exists).
       --extended: also measure `tsdb analyze --extended` (3.14's compaction analysis; promtool 2.42 prints an
       older, simpler one).
"""
import argparse, json, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time, urllib.request

import peakrss

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMTOOL, PROMETHEUS = "/usr/bin/promtool", "/usr/bin/prometheus"
START = 1_600_000_000


def generate(path, series, samples):
    with open(path, "w") as f:
        f.write("# TYPE bench gauge\n")
        for s in range(series):
            labels = f'bench{{job="j{s % 10}",instance="host-{s % 200}:9100",series="{s}"}}'
            v = 0.0
            lines = []
            for i in range(samples):
                v += (i * 7 + s) % 13 * 0.5
                lines.append(f"{labels} {v} {START + i * 15}\n")
            f.writelines(lines)
        f.write("# EOF\n")


def run(cmd):
    """Wall seconds and peak RSS (MiB) of one process run; stdout discarded."""
    t0 = time.monotonic()
    argv, rss_path = peakrss.wrap(cmd)
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    peak = peakrss.read_mib(rss_path)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}: {p.stderr.read().decode()}")
    return wall, peak


def median_of(cmd, runs):
    run(cmd)  # warm-up (page cache)
    results = [run(cmd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=2000)
    ap.add_argument("--samples", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release/promtool-swift"))
    ap.add_argument("--only", choices=["analyze", "query"])
    ap.add_argument("--data")
    ap.add_argument("--extended", action="store_true")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="tsdb-read-bench-")
    prom = None
    try:
        data = a.data or os.path.join(work, "data")
        if not (a.data and os.path.isdir(a.data)):
            om = os.path.join(work, "in.om")
            generate(om, a.series, a.samples)
            subprocess.run([PROMTOOL, "tsdb", "create-blocks-from", "openmetrics", om, data], check=True, stdout=subprocess.DEVNULL)
            os.remove(om)
        print(f"load before: {open('/proc/loadavg').read().split()[:3]} on {os.cpu_count()} CPUs")
        print(f"data: {a.series * a.samples:,} samples, {len([d for d in os.listdir(data) if len(d) == 26])} blocks")
        if a.only != "query":
            ours, theirs = median_of([a.bin, "tsdb", "analyze", data], a.runs), median_of([PROMTOOL, "tsdb", "analyze", data], a.runs)
            print(f"tsdb analyze: ours {ours[0]:.3f}s {ours[1]:.0f}MiB, promtool {theirs[0]:.3f}s {theirs[1]:.0f}MiB, "
                  f"ratio wall {ours[0] / theirs[0]:.2f}x, memory {ours[1] / theirs[1]:.2f}x")
            if a.extended:
                ours = median_of([a.bin, "tsdb", "analyze", "--extended", data], a.runs)
                theirs = median_of([PROMTOOL, "tsdb", "analyze", "--extended", data], a.runs)
                print(f"tsdb analyze --extended: ours {ours[0]:.3f}s {ours[1]:.0f}MiB, promtool {theirs[0]:.3f}s {theirs[1]:.0f}MiB, "
                      f"ratio wall {ours[0] / theirs[0]:.2f}x, memory {ours[1] / theirs[1]:.2f}x")
        if a.only == "analyze":
            return

        end = START + (a.samples - 1) * 15
        expr = "sum by (job) (rate(bench[5m]))"
        q = [a.bin, "query", "range", "--tsdb", data, expr, "--start", str(START), "--end", str(end), "--step", "60s"]
        ours_q = median_of(q, a.runs)
        served = os.path.join(work, "served")
        shutil.copytree(data, served)
        port = free_port()
        cfg = os.path.join(work, "p.yml")
        open(cfg, "w").write("global:\n  scrape_interval: 15s\n")
        prom = subprocess.Popen([PROMETHEUS, f"--config.file={cfg}", f"--storage.tsdb.path={served}",
                                 "--storage.tsdb.retention.time=100y", f"--web.listen-address=127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/-/ready", timeout=1)
                break
            except Exception:
                time.sleep(0.5)
        params = urllib.parse.urlencode({"query": expr, "start": START, "end": end, "step": "60", "stats": "all"})
        evals = []
        for i in range(a.runs + 1):
            body = json.load(urllib.request.urlopen(f"{url}/api/v1/query_range?{params}", timeout=600))
            if i > 0:
                evals.append(body["data"]["stats"]["timings"]["evalTotalTime"])
        ev = statistics.median(evals)
        print(f"query range --tsdb: ours {ours_q[0]:.3f}s (whole process) {ours_q[1]:.0f}MiB, "
              f"Prometheus evalTotalTime {ev:.3f}s, ratio {ours_q[0] / ev:.2f}x")
    finally:
        if prom is not None:
            prom.send_signal(signal.SIGTERM)
            prom.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    import urllib.parse
    main()
