#!/usr/bin/env python3
"""Scraping many targets: `promtool-swift query --config … --scrapes 8` against /usr/bin/prometheus (2.42).

One local load server (this process, threaded HTTP/1.1 with keep-alive) plays TARGETS targets of SERIES
series each (`/metrics?target=N`: 20 metric families, counter-like values that change every scrape). Both
tools get the same config (file SD, a relabel rule turning the target label into the `target` URL
parameter, 15 s interval) and run one after the other in the same run:

  * Prometheus for DURATION seconds (default 120), its TSDB in a temporary directory; then its CPU time
    (/proc/PID/stat utime+stime), peak RSS (/proc/PID/status VmHWM) and the samples it appended
    (`prometheus_tsdb_head_samples_appended_total` from its /metrics);
  * ours scraping every target DURATION/15 times (8) into its in-memory head, then answering
    `sum(count_over_time({__name__=~".+"}[1h]))`, the number of samples in the head. Its CPU time is
    taken when it reports that scraping is done (the query is not counted) and at exit (wait4).

Printed: CPU seconds, samples, CPU microseconds per sample, their ratio (goal <= 0.7x), peak RSS (goal <=
Prometheus's). Also the load rate of the same exposition text through `query --input` (parse + head
append, whole process, MB/s): an upper bound of the exposition parser's cost.
Usage: scripts/bench/scrape_vs_prometheus.py [--targets 500] [--series 1000] [--duration 120]
       [--binary PATH] [--skip-prometheus]
"""
import argparse
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMETHEUS = "/usr/bin/prometheus"
INTERVAL = 15
FAMILIES = 20
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Targets:
    """The exposition each target serves: label prefixes built once, values from a per-target counter."""

    def __init__(self, targets, series):
        per_family = max(1, series // FAMILIES)
        self.prefixes = []
        for t in range(targets):
            lines = []
            for j in range(series):
                family = j // per_family
                lines.append('bench_requests_%d_total{target="%d",path="/api/v1/item/%d",code="200"} ' % (family, t, j))
            self.prefixes.append(lines)
        self.headers = "".join("# HELP bench_requests_%d_total Requests.\n# TYPE bench_requests_%d_total counter\n" % (f, f)
                               for f in range(FAMILIES))
        self.scrapes = [0] * targets
        self.lock = threading.Lock()

    def body(self, t):
        with self.lock:
            self.scrapes[t] += 1
            n = self.scrapes[t]
        return (self.headers + "".join("%s%d\n" % (p, n * (k + 1)) for k, p in enumerate(self.prefixes[t]))).encode()


def serve(targets):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
            try:
                t = int(query.get("target", ["-1"])[0])
                body = targets.body(t) if 0 <= t < len(targets.prefixes) else None
            except ValueError:
                body = None
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def write_config(directory, port, targets):
    groups = [{"targets": ["127.0.0.1:%d" % port], "labels": {"t": str(t)}} for t in range(targets)]
    with open(os.path.join(directory, "targets.json"), "w") as f:
        json.dump(groups, f)
    path = os.path.join(directory, "prometheus.yml")
    with open(path, "w") as f:
        f.write("""global:
  scrape_interval: %ds
  scrape_timeout: 10s
scrape_configs:
  - job_name: bench
    file_sd_configs:
      - files: [%s]
    relabel_configs:
      - source_labels: [t]
        target_label: __param_target
""" % (INTERVAL, json.dumps(os.path.join(directory, "targets.json"))))
    return path


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def peak_rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run_prometheus(config, duration):
    web = free_port()
    data = tempfile.mkdtemp(prefix="bench-prom-")
    p = subprocess.Popen([PROMETHEUS, "--config.file=" + config, "--storage.tsdb.path=" + data,
                          "--web.listen-address=127.0.0.1:%d" % web, "--log.level=warn"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(duration)
        cpu, rss = cpu_seconds(p.pid), peak_rss_mib(p.pid)
        text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % web, timeout=30).read().decode()
        samples = 0.0
        for line in text.splitlines():
            if line.startswith("prometheus_tsdb_head_samples_appended_total"):
                samples += float(line.rsplit(" ", 1)[1])
        return cpu, rss, samples
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait()
        shutil.rmtree(data, ignore_errors=True)


def run_ours(binary, config, scrapes):
    query = 'sum(count_over_time({__name__=~".+"}[1h]))'
    p = subprocess.Popen([binary, "query", "instant", "--config", config, "--scrapes", str(scrapes), query],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    at_done = {}

    def watch():
        for line in p.stderr:
            if line.startswith("scraped ") and not at_done:
                at_done["cpu"], at_done["rss"] = cpu_seconds(p.pid), peak_rss_mib(p.pid)
            sys.stderr.write("  ours: " + line)

    watcher = threading.Thread(target=watch)
    watcher.start()
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    watcher.join()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("our run failed: " + out)
    m = re.search(r"=> (\S+) @", out)
    samples = float(m.group(1)) if m else 0.0
    total_cpu = usage.ru_utime + usage.ru_stime
    return at_done.get("cpu", total_cpu), total_cpu, usage.ru_maxrss / 1024, samples


def load_rate(binary, targets, directory):
    """Whole-process `query --input` on every target's exposition concatenated (parse + head append)."""
    path = os.path.join(directory, "all.prom")
    with open(path, "wb") as f:
        for t in range(len(targets.prefixes)):
            f.write(targets.body(t))
    size = os.path.getsize(path) / 1e6
    best = None
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([binary, "query", "instant", "--input", path, "--time", "1700000000", "vector(1)"],
                       stdout=subprocess.DEVNULL, check=True)
        wall = time.perf_counter() - start
        best = wall if best is None else min(best, wall)
    return size, size / best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--targets", type=int, default=500)
    ap.add_argument("--series", type=int, default=1000)
    ap.add_argument("--duration", type=int, default=120)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/release/promtool-swift"))
    ap.add_argument("--skip-prometheus", action="store_true")
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit("no binary at %s (swift build -c release)" % args.binary)
    targets = Targets(args.targets, args.series)
    server = serve(targets)
    directory = tempfile.mkdtemp(prefix="bench-scrape-")
    try:
        config = write_config(directory, server.server_address[1], args.targets)
        scrapes = max(1, args.duration // INTERVAL)
        print("%d targets x %d series, %d s interval, %d s / %d scrapes per target"
              % (args.targets, args.series, INTERVAL, args.duration, scrapes), flush=True)
        prom = None
        if not args.skip_prometheus:
            prom = run_prometheus(config, args.duration)
            print("prometheus: cpu %.2f s, samples %d, %.3f us/sample, peak rss %.0f MiB"
                  % (prom[0], prom[2], prom[0] / max(prom[2], 1) * 1e6, prom[1]), flush=True)
        scrape_cpu, total_cpu, rss, samples = run_ours(args.binary, config, scrapes)
        print("ours:       cpu %.2f s scraping (%.2f s with the query), samples %d, %.3f us/sample, peak rss %.0f MiB"
              % (scrape_cpu, total_cpu, samples, scrape_cpu / max(samples, 1) * 1e6, rss), flush=True)
        if prom:
            ratio = (scrape_cpu / max(samples, 1)) / (prom[0] / max(prom[2], 1))
            print("cpu per sample ratio: %.2fx (goal <= 0.7x); peak memory ratio: %.2fx (goal <= 1x)" % (ratio, rss / prom[1]))
        size, rate = load_rate(args.binary, targets, directory)
        print("exposition load (parse + append, whole process, %.1f MB): %.1f MB/s" % (size, rate))
    finally:
        server.shutdown()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
