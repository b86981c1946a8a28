#!/usr/bin/env python3
"""Times promtool-swift against /usr/bin/promtool on the same inputs, in one run.

Each case runs both commands alternately N times (default 5) and reports the median wall time and the
median peak RSS of each, and their ratio (ours / promtool). Exit codes must agree, or the case is
flagged. Usage: scripts/bench/run.py [--runs N] [--only SUBSTRING]
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
PROMTOOL = "/usr/bin/promtool"


def build():
    subprocess.run(["swift", "build", "-c", "release", "--product", "promtool-swift"], cwd=ROOT, check=True)
    out = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "promtool-swift")


def measure(cmd, stdin_path=None):
    """Wall seconds, peak RSS in MiB and exit code of one run (RSS via wait4 on the child)."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    if stdin_path:
        stdin.close()
    return wall, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def case(name, ours, theirs, runs, stdin_path=None):
    ow, orss, tw, trss = [], [], [], []
    codes = set()
    for _ in range(runs):
        w, r, c1 = measure(ours, stdin_path)
        ow.append(w); orss.append(r)
        w, r, c2 = measure(theirs, stdin_path)
        tw.append(w); trss.append(r)
        codes.add((c1, c2))
    mw, mr, pw, pr = (statistics.median(x) for x in (ow, orss, tw, trss))
    flag = "" if all(a == b for a, b in codes) else f"  EXIT CODES DIFFER {sorted(codes)}"
    print(f"{name:44s} ours {mw*1000:8.1f} ms {mr:7.1f} MiB | promtool {pw*1000:8.1f} ms {pr:7.1f} MiB"
          f" | time {mw/pw:5.2f}x  mem {mr/pr:5.2f}x{flag}")
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    ours = build()
    work = tempfile.mkdtemp(prefix="promtool-bench-")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_config.py"), os.path.join(work, "big"), "2000", "20", "50"], check=True)
    rules = os.path.join(work, "rules20k.yml")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_rules.py"), rules, "20000"], check=True)
    lintcfg = os.path.join(work, "lint")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_config.py"), lintcfg, "200", "0"], check=True)
    size = os.path.getsize(rules) / 1e6
    print(f"inputs in {work}; rules file {size:.1f} MB; runs per case: {args.runs} (medians)")

    cases = [
        ("check config testdata/prometheus.yml",
         [ours, "check", "config", os.path.join(ROOT, "testdata/prometheus.yml")],
         [PROMTOOL, "check", "config", os.path.join(ROOT, "testdata/prometheus.yml")]),
        ("check config 2000 jobs + 20 rule files",
         [ours, "check", "config", os.path.join(work, "big/prometheus.yml")],
         [PROMTOOL, "check", "config", os.path.join(work, "big/prometheus.yml")]),
        ("check rules 20000 rules",
         [ours, "check", "rules", rules],
         [PROMTOOL, "check", "rules", rules]),
        ("lint 20000 rules + 200 jobs (vs check rules)",
         [ours, "lint", os.path.join(lintcfg, "prometheus.yml"), rules],
         [PROMTOOL, "check", "rules", rules]),
    ]
    for name, a, b in cases:
        if args.only and args.only not in name:
            continue
        case(name, a, b, args.runs)
    metrics = os.path.join(ROOT, "../shared/corpus/promtool/metrics-test.prom")
    if os.path.exists(metrics) and (not args.only or "metrics" in args.only):
        case("check metrics metrics-test.prom", [ours, "check", "metrics"], [PROMTOOL, "check", "metrics"], args.runs, metrics)


if __name__ == "__main__":
    main()
